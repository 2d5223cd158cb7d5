// The system's image libraries (Debian: libpng-dev, libjpeg62-turbo-dev, libgif-dev,
// libwebp-dev). jpeglib.h needs stdio.h first.
#include <stdio.h>
#include <png.h>
#include <jpeglib.h>
#include <gif_lib.h>
#include <webp/decode.h>
#include <webp/encode.h>
