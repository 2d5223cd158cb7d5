#ifndef IMAGE_CODECS_H
#define IMAGE_CODECS_H

#include <stddef.h>
#include <stdint.h>

/// A decoded image: 8-bit RGBA, row after row, no padding. Free `pixels` with ic_free.
typedef struct {
    int width;
    int height;
    uint8_t *pixels;
} ic_image;

/// Decodes PNG, JPEG, GIF (the first frame) or WebP, told apart by their first bytes.
/// Answers 0 on success; otherwise a message in `error` (at most `error_size` bytes).
/// Images over `max_pixels` are refused before their pixels are allocated.
int ic_decode(const uint8_t *data, size_t size, long max_pixels, ic_image *out, char *error, size_t error_size);

/// Encodes RGBA pixels as a baseline JPEG (alpha dropped onto white) or as a PNG. The output
/// is malloc'd: free it with ic_free. Answer 0 on success.
int ic_encode_jpeg(const uint8_t *rgba, int width, int height, int quality, uint8_t **out, size_t *out_size);
int ic_encode_png(const uint8_t *rgba, int width, int height, uint8_t **out, size_t *out_size);

void ic_free(void *pointer);

#endif
