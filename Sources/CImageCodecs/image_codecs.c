// Image decoding and encoding through the system libraries. In C because libpng and libjpeg
// report errors by longjmp, which must not cross Swift frames.
#include "image_codecs.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gif_lib.h>
#include <jpeglib.h>
#include <png.h>
#include <webp/decode.h>

static int fail(char *error, size_t size, const char *message) {
    if (error && size > 0) snprintf(error, size, "%s", message);
    return -1;
}

static int too_large(int width, int height, long max_pixels) {
    return width <= 0 || height <= 0 || (long)width * (long)height > max_pixels;
}

// MARK: PNG

typedef struct {
    const uint8_t *data;
    size_t size;
    size_t offset;
} png_source;

static void png_read_memory(png_structp png, png_bytep out, png_size_t count) {
    png_source *source = png_get_io_ptr(png);
    if (source->offset + count > source->size) png_error(png, "truncated PNG");
    memcpy(out, source->data + source->offset, count);
    source->offset += count;
}

static int decode_png(const uint8_t *data, size_t size, long max_pixels, ic_image *out, char *error, size_t error_size) {
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    if (!png) return fail(error, error_size, "out of memory");
    png_infop info = png_create_info_struct(png);
    if (!info) {
        png_destroy_read_struct(&png, NULL, NULL);
        return fail(error, error_size, "out of memory");
    }
    uint8_t *volatile pixels = NULL;
    png_bytep *volatile rows = NULL;
    if (setjmp(png_jmpbuf(png))) {
        free(pixels);
        free(rows);
        png_destroy_read_struct(&png, &info, NULL);
        return fail(error, error_size, "not a readable PNG");
    }
    png_source source = {data, size, 0};
    png_set_read_fn(png, &source, png_read_memory);
    png_read_info(png, info);
    int width = (int)png_get_image_width(png, info), height = (int)png_get_image_height(png, info);
    if (too_large(width, height, max_pixels)) {
        png_destroy_read_struct(&png, &info, NULL);
        return fail(error, error_size, "the image is too large to preview");
    }
    // Everything to 8-bit RGBA.
    png_set_expand(png);
    png_set_strip_16(png);
    png_set_gray_to_rgb(png);
    png_set_add_alpha(png, 0xFF, PNG_FILLER_AFTER);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
    pixels = malloc((size_t)width * height * 4);
    rows = malloc(sizeof(png_bytep) * height);
    if (!pixels || !rows) png_error(png, "out of memory");
    for (int y = 0; y < height; y++) rows[y] = pixels + (size_t)y * width * 4;
    png_read_image(png, rows);
    png_destroy_read_struct(&png, &info, NULL);
    free(rows);
    out->width = width;
    out->height = height;
    out->pixels = pixels;
    return 0;
}

// MARK: JPEG

typedef struct {
    struct jpeg_error_mgr manager;
    jmp_buf jump;
} jpeg_failure;

static void jpeg_exit(j_common_ptr info) {
    longjmp(((jpeg_failure *)info->err)->jump, 1);
}

static void jpeg_quiet(j_common_ptr info) { (void)info; }

static int decode_jpeg(const uint8_t *data, size_t size, long max_pixels, ic_image *out, char *error, size_t error_size) {
    struct jpeg_decompress_struct info;
    jpeg_failure failure;
    info.err = jpeg_std_error(&failure.manager);
    failure.manager.error_exit = jpeg_exit;
    failure.manager.output_message = jpeg_quiet;
    uint8_t *volatile pixels = NULL;
    uint8_t *volatile row = NULL;
    if (setjmp(failure.jump)) {
        free(pixels);
        free(row);
        jpeg_destroy_decompress(&info);
        return fail(error, error_size, "not a readable JPEG");
    }
    jpeg_create_decompress(&info);
    jpeg_mem_src(&info, data, (unsigned long)size);
    jpeg_read_header(&info, TRUE);
    info.out_color_space = JCS_RGB;
    jpeg_start_decompress(&info);
    int width = (int)info.output_width, height = (int)info.output_height;
    if (too_large(width, height, max_pixels)) {
        jpeg_destroy_decompress(&info);
        return fail(error, error_size, "the image is too large to preview");
    }
    pixels = malloc((size_t)width * height * 4);
    row = malloc((size_t)width * 3);
    if (!pixels || !row) longjmp(failure.jump, 1);
    while (info.output_scanline < info.output_height) {
        int y = (int)info.output_scanline;
        JSAMPROW rows[1] = {row};
        jpeg_read_scanlines(&info, rows, 1);
        for (int x = 0; x < width; x++) {
            uint8_t *pixel = pixels + ((size_t)y * width + x) * 4;
            memcpy(pixel, row + x * 3, 3);
            pixel[3] = 0xFF;
        }
    }
    jpeg_finish_decompress(&info);
    jpeg_destroy_decompress(&info);
    free(row);
    out->width = width;
    out->height = height;
    out->pixels = pixels;
    return 0;
}

// MARK: GIF (the first frame)

typedef struct {
    const uint8_t *data;
    size_t size;
    size_t offset;
} gif_source;

static int gif_read_memory(GifFileType *gif, GifByteType *out, int count) {
    gif_source *source = gif->UserData;
    size_t available = source->size - source->offset;
    size_t n = (size_t)count < available ? (size_t)count : available;
    memcpy(out, source->data + source->offset, n);
    source->offset += n;
    return (int)n;
}

static int decode_gif(const uint8_t *data, size_t size, long max_pixels, ic_image *out, char *error, size_t error_size) {
    gif_source source = {data, size, 0};
    int status = 0;
    GifFileType *gif = DGifOpen(&source, gif_read_memory, &status);
    if (!gif) return fail(error, error_size, "not a readable GIF");
    int width = gif->SWidth, height = gif->SHeight;
    if (too_large(width, height, max_pixels)) {
        DGifCloseFile(gif, &status);
        return fail(error, error_size, "the image is too large to preview");
    }
    if (DGifSlurp(gif) != GIF_OK || gif->ImageCount < 1) {
        DGifCloseFile(gif, &status);
        return fail(error, error_size, "not a readable GIF");
    }
    SavedImage *frame = &gif->SavedImages[0];
    ColorMapObject *map = frame->ImageDesc.ColorMap ? frame->ImageDesc.ColorMap : gif->SColorMap;
    int transparent = -1;
    GraphicsControlBlock control;
    if (DGifSavedExtensionToGCB(gif, 0, &control) == GIF_OK) transparent = control.TransparentColor;
    uint8_t *pixels = calloc((size_t)width * height, 4);
    if (!pixels || !map) {
        free(pixels);
        DGifCloseFile(gif, &status);
        return fail(error, error_size, "not a readable GIF");
    }
    GifImageDesc *desc = &frame->ImageDesc;
    for (int y = 0; y < desc->Height; y++) {
        for (int x = 0; x < desc->Width; x++) {
            int tx = desc->Left + x, ty = desc->Top + y;
            if (tx < 0 || ty < 0 || tx >= width || ty >= height) continue;
            int index = frame->RasterBits[y * desc->Width + x];
            if (index == transparent || index >= map->ColorCount) continue;
            uint8_t *pixel = pixels + ((size_t)ty * width + tx) * 4;
            pixel[0] = map->Colors[index].Red;
            pixel[1] = map->Colors[index].Green;
            pixel[2] = map->Colors[index].Blue;
            pixel[3] = 0xFF;
        }
    }
    DGifCloseFile(gif, &status);
    out->width = width;
    out->height = height;
    out->pixels = pixels;
    return 0;
}

// MARK: WebP

static int decode_webp(const uint8_t *data, size_t size, long max_pixels, ic_image *out, char *error, size_t error_size) {
    int width = 0, height = 0;
    if (!WebPGetInfo(data, size, &width, &height)) return fail(error, error_size, "not a readable WebP");
    if (too_large(width, height, max_pixels)) return fail(error, error_size, "the image is too large to preview");
    uint8_t *decoded = WebPDecodeRGBA(data, size, &width, &height);
    if (!decoded) return fail(error, error_size, "not a readable WebP");
    // WebP's buffer is freed with WebPFree; copy into one that ic_free frees.
    uint8_t *pixels = malloc((size_t)width * height * 4);
    if (!pixels) {
        WebPFree(decoded);
        return fail(error, error_size, "out of memory");
    }
    memcpy(pixels, decoded, (size_t)width * height * 4);
    WebPFree(decoded);
    out->width = width;
    out->height = height;
    out->pixels = pixels;
    return 0;
}

int ic_decode(const uint8_t *data, size_t size, long max_pixels, ic_image *out, char *error, size_t error_size) {
    memset(out, 0, sizeof(*out));
    if (size >= 8 && memcmp(data, "\x89PNG\r\n\x1a\n", 8) == 0) return decode_png(data, size, max_pixels, out, error, error_size);
    if (size >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF) return decode_jpeg(data, size, max_pixels, out, error, error_size);
    if (size >= 6 && (memcmp(data, "GIF87a", 6) == 0 || memcmp(data, "GIF89a", 6) == 0)) return decode_gif(data, size, max_pixels, out, error, error_size);
    if (size >= 12 && memcmp(data, "RIFF", 4) == 0 && memcmp(data + 8, "WEBP", 4) == 0) return decode_webp(data, size, max_pixels, out, error, error_size);
    return fail(error, error_size, "not a PNG, JPEG, GIF or WebP image");
}

// MARK: Encoding

int ic_encode_jpeg(const uint8_t *rgba, int width, int height, int quality, uint8_t **out, size_t *out_size) {
    *out = NULL;
    *out_size = 0;
    if (width <= 0 || height <= 0) return -1;
    struct jpeg_compress_struct info;
    jpeg_failure failure;
    info.err = jpeg_std_error(&failure.manager);
    failure.manager.error_exit = jpeg_exit;
    failure.manager.output_message = jpeg_quiet;
    unsigned char *volatile buffer = NULL;
    unsigned long buffer_size = 0;
    uint8_t *volatile row = malloc((size_t)width * 3);
    if (!row) return -1;
    if (setjmp(failure.jump)) {
        jpeg_destroy_compress(&info);
        free(row);
        free(buffer);
        return -1;
    }
    jpeg_create_compress(&info);
    jpeg_mem_dest(&info, (unsigned char **)&buffer, &buffer_size);
    info.image_width = (JDIMENSION)width;
    info.image_height = (JDIMENSION)height;
    info.input_components = 3;
    info.in_color_space = JCS_RGB;
    jpeg_set_defaults(&info);
    jpeg_set_quality(&info, quality, TRUE);
    jpeg_start_compress(&info, TRUE);
    while (info.next_scanline < info.image_height) {
        const uint8_t *source = rgba + (size_t)info.next_scanline * width * 4;
        for (int x = 0; x < width; x++) {
            int alpha = source[x * 4 + 3];
            for (int c = 0; c < 3; c++) row[x * 3 + c] = (uint8_t)((source[x * 4 + c] * alpha + 255 * (255 - alpha)) / 255);
        }
        JSAMPROW rows[1] = {row};
        jpeg_write_scanlines(&info, rows, 1);
    }
    jpeg_finish_compress(&info);
    jpeg_destroy_compress(&info);
    free(row);
    *out = buffer;
    *out_size = buffer_size;
    return 0;
}

typedef struct {
    uint8_t *data;
    size_t size;
    size_t capacity;
} png_sink;

static void png_write_memory(png_structp png, png_bytep data, png_size_t count) {
    png_sink *sink = png_get_io_ptr(png);
    if (sink->size + count > sink->capacity) {
        size_t capacity = (sink->capacity + count) * 2;
        uint8_t *grown = realloc(sink->data, capacity);
        if (!grown) png_error(png, "out of memory");
        sink->data = grown;
        sink->capacity = capacity;
    }
    memcpy(sink->data + sink->size, data, count);
    sink->size += count;
}

static void png_flush_memory(png_structp png) { (void)png; }

int ic_encode_png(const uint8_t *rgba, int width, int height, uint8_t **out, size_t *out_size) {
    *out = NULL;
    *out_size = 0;
    if (width <= 0 || height <= 0) return -1;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    if (!png) return -1;
    png_infop info = png_create_info_struct(png);
    if (!info) {
        png_destroy_write_struct(&png, NULL);
        return -1;
    }
    png_sink sink = {NULL, 0, 0};
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        free(sink.data);
        return -1;
    }
    png_set_write_fn(png, &sink, png_write_memory, png_flush_memory);
    png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, 8, PNG_COLOR_TYPE_RGBA, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (int y = 0; y < height; y++) png_write_row(png, (png_const_bytep)(rgba + (size_t)y * width * 4));
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    *out = sink.data;
    *out_size = sink.size;
    return 0;
}

void ic_free(void *pointer) { free(pointer); }
