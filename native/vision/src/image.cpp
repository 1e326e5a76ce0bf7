// Image codecs and pixel operations over OpenCV: decode/encode from memory (so the C# side names the file in
// errors), resize, RGB->gray, affine warp. Colour images are RGB here; OpenCV's BGR stays inside this file.
#include "common.h"
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace {

// Copies a continuous 8-bit Mat into a malloc'd buffer the caller frees with avv_free_buffer.
uint8_t* give_pixels(const cv::Mat& m) {
  cv::Mat c = m.isContinuous() ? m : m.clone();
  size_t n = c.total() * c.elemSize();
  auto* p = static_cast<uint8_t*>(std::malloc(n == 0 ? 1 : n));
  if (p == nullptr) throw std::bad_alloc();
  std::memcpy(p, c.data, n);
  return p;
}

}  // namespace

// Decodes PNG/JPEG/... bytes. gray=1 asks for one channel, else RGB (alpha dropped). On success writes the size,
// channel count and a malloc'd pixel buffer; returns 0. Returns -1 with an error set when the bytes are not an image.
AVV_API int avv_imdecode(const uint8_t* bytes, int64_t length, int gray, int* width, int* height, int* channels,
                         uint8_t** pixels) {
  AVV_TRY
  *pixels = nullptr;
  if (bytes == nullptr || length <= 0) throw std::invalid_argument("unreadable image (empty)");
  if (length > INT32_MAX) throw std::invalid_argument("unreadable image (larger than 2 GiB)");
  cv::Mat buf(1, static_cast<int>(length), CV_8UC1, const_cast<uint8_t*>(bytes));
  cv::Mat img = cv::imdecode(buf, gray ? cv::IMREAD_GRAYSCALE : cv::IMREAD_COLOR);
  if (img.empty()) throw std::runtime_error("unreadable image (not a PNG/JPEG/BMP/... OpenCV can decode, or corrupt)");
  if (img.depth() != CV_8U) img.convertTo(img, CV_8U);
  if (!gray) cv::cvtColor(img, img, cv::COLOR_BGR2RGB);
  *width = img.cols;
  *height = img.rows;
  *channels = img.channels();
  *pixels = give_pixels(img);
  return 0;
  AVV_CATCH(-1)
}

// Encodes an RGB or gray image. format: 0 = PNG, 1 = JPEG. quality: JPEG quality 0-100 or PNG compression 0-9
// (negative: OpenCV's default). Writes a malloc'd buffer and its length; returns 0, or -1 with an error set.
AVV_API int avv_imencode(const uint8_t* pixels, int width, int height, int channels, int format, int quality,
                         uint8_t** out, int64_t* length) {
  AVV_TRY
  *out = nullptr;
  *length = 0;
  cv::Mat img = avv::view(pixels, width, height, channels);
  cv::Mat bgr;
  if (channels == 3) cv::cvtColor(img, bgr, cv::COLOR_RGB2BGR);
  else if (channels == 4) cv::cvtColor(img, bgr, cv::COLOR_RGBA2BGRA);
  else bgr = img;
  std::vector<int> params;
  std::string ext;
  if (format == 0) {
    ext = ".png";
    if (quality >= 0) params = {cv::IMWRITE_PNG_COMPRESSION, quality};
  } else if (format == 1) {
    ext = ".jpg";
    if (quality >= 0) params = {cv::IMWRITE_JPEG_QUALITY, quality};
  } else {
    throw std::invalid_argument("unknown image format code " + std::to_string(format));
  }
  std::vector<uint8_t> encoded;
  if (!cv::imencode(ext, bgr, encoded, params)) throw std::runtime_error("OpenCV could not encode " + ext);
  auto* p = static_cast<uint8_t*>(std::malloc(encoded.size()));
  if (p == nullptr) throw std::bad_alloc();
  std::memcpy(p, encoded.data(), encoded.size());
  *out = p;
  *length = static_cast<int64_t>(encoded.size());
  return 0;
  AVV_CATCH(-1)
}

// Resizes into caller memory (dst is dst_w*dst_h*channels bytes). interpolation: OpenCV's codes
// (0 nearest, 1 bilinear, 2 bicubic, 3 area).
AVV_API int avv_resize(const uint8_t* src, int width, int height, int channels, uint8_t* dst, int dst_width,
                       int dst_height, int interpolation) {
  AVV_TRY
  cv::Mat s = avv::view(src, width, height, channels);
  cv::Mat d = avv::view(dst, dst_width, dst_height, channels);
  cv::resize(s, d, d.size(), 0, 0, interpolation);
  if (d.data != dst) throw std::logic_error("resize reallocated its output");
  return 0;
  AVV_CATCH(-1)
}

// RGB (3 channels) to gray with OpenCV's weights (0.299 R + 0.587 G + 0.114 B, as cv2.COLOR_RGB2GRAY).
AVV_API int avv_rgb_to_gray(const uint8_t* src, int width, int height, uint8_t* dst) {
  AVV_TRY
  cv::Mat s = avv::view(src, width, height, 3);
  cv::Mat d = avv::view(dst, width, height, 1);
  cv::cvtColor(s, d, cv::COLOR_RGB2GRAY);
  if (d.data != dst) throw std::logic_error("cvtColor reallocated its output");
  return 0;
  AVV_CATCH(-1)
}

// dst = src warped by the 2x3 matrix m (row-major, maps source to destination as cv2.warpAffine).
// border: 0 constant (border_value), 1 replicate, 2 reflect101.
AVV_API int avv_warp_affine(const uint8_t* src, int width, int height, int channels, const double* m, uint8_t* dst,
                            int dst_width, int dst_height, int interpolation, int border, int border_value) {
  AVV_TRY
  cv::Mat s = avv::view(src, width, height, channels);
  cv::Mat d = avv::view(dst, dst_width, dst_height, channels);
  cv::Mat matrix(2, 3, CV_64F, const_cast<double*>(m));
  int mode = border == 0 ? cv::BORDER_CONSTANT : border == 1 ? cv::BORDER_REPLICATE : cv::BORDER_REFLECT_101;
  cv::warpAffine(s, d, matrix, d.size(), interpolation, mode, cv::Scalar::all(border_value));
  if (d.data != dst) throw std::logic_error("warpAffine reallocated its output");
  return 0;
  AVV_CATCH(-1)
}
