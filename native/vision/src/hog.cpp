// dlib's HOG frontal face detector, the one piece of AverLab's vision that stays native: its weights are compiled
// into dlib (frontal_face_detector.h) and its scan (fHOG features, pyramid_down<6>, separable filters, non-max
// suppression) is dlib's own. Everything else (OpenCV, landmarks) is managed code over OpenCvSharp4.
// The detector crosses the ABI as an opaque heap pointer freed once by avv_hog_free.
//
// Thread safety: dlib's object_detector keeps scratch state, so one instance must not run on two threads at
// once (the C# side locks).
#include "common.h"
#include <dlib/image_processing.h>
#include <dlib/image_processing/frontal_face_detector.h>
#include <dlib/image_transforms.h>
#include <cstdlib>
#include <memory>
#include <cstring>
#include <vector>

namespace {

using HogDetector = dlib::frontal_face_detector;

void to_dlib(const uint8_t* gray, int width, int height, dlib::array2d<unsigned char>& img) {
  if (gray == nullptr) throw std::invalid_argument("null image data");
  if (width <= 0 || height <= 0) throw std::invalid_argument("image size must be positive");
  img.set_size(height, width);
  for (int r = 0; r < height; ++r) std::memcpy(&img[r][0], gray + static_cast<size_t>(r) * width, width);
}

template <typename T>
T* give_array(const std::vector<T>& v) {
  auto* p = static_cast<T*>(std::malloc(v.empty() ? sizeof(T) : v.size() * sizeof(T)));
  if (p == nullptr) throw std::bad_alloc();
  if (!v.empty()) std::memcpy(p, v.data(), v.size() * sizeof(T));
  return p;
}

}  // namespace

// ---- dlib HOG detector -----------------------------------------------------------------------------------

AVV_API void* avv_hog_create() {
  AVV_TRY
  return new HogDetector(dlib::get_frontal_face_detector());
  AVV_CATCH(nullptr)
}

AVV_API void avv_hog_free(void* h) { delete static_cast<HogDetector*>(h); }

// Runs the HOG detector on a gray image upsampled `upsample` times (as dlib's Python detector(img, upsample)).
// Writes a malloc'd array of x,y,w,h,score doubles in the input's pixel coordinates; returns the count or -1.
AVV_API int avv_hog_detect(void* h, const uint8_t* gray, int width, int height, int upsample,
                           double adjust_threshold, double** out) {
  AVV_TRY
  *out = nullptr;
  if (h == nullptr) throw std::invalid_argument("null detector");
  if (upsample < 0 || upsample > 4) throw std::invalid_argument("upsample must be 0..4");
  auto* det = static_cast<HogDetector*>(h);
  dlib::array2d<unsigned char> img;
  to_dlib(gray, width, height, img);
  dlib::pyramid_down<2> pyr;
  for (int i = 0; i < upsample; ++i) dlib::pyramid_up(img, pyr);
  std::vector<dlib::rect_detection> dets;
  (*det)(img, dets, adjust_threshold);
  std::vector<double> flat;
  flat.reserve(dets.size() * 5);
  for (const auto& d : dets) {
    // Map back through the pyramid: a point p in the up-sampled image is p / 2^upsample in the input.
    dlib::rectangle r = d.rect;
    for (int i = 0; i < upsample; ++i) r = pyr.rect_down(r);
    flat.insert(flat.end(), {static_cast<double>(r.left()), static_cast<double>(r.top()),
                             static_cast<double>(r.width()), static_cast<double>(r.height()), d.detection_confidence});
  }
  *out = give_array(flat);
  return static_cast<int>(dets.size());
  AVV_CATCH(-1)
}
