// Face detection and landmarks: OpenCV's Haar cascade, dlib's HOG frontal face detector and dlib's shape
// predictor (68-point model). Objects cross the ABI as opaque heap pointers freed once by their *_free call.
//
// Thread safety (documented by the libraries): cv::CascadeClassifier::detectMultiScale and dlib's
// object_detector keep scratch state, so one instance must not run on two threads at once (the C# side locks);
// dlib::shape_predictor is safe to share between threads.
#include "common.h"
#include <dlib/image_processing.h>
#include <dlib/image_processing/frontal_face_detector.h>
#include <dlib/image_transforms.h>
#include <opencv2/objdetect.hpp>
#include <cstdlib>
#include <memory>
#include <cstring>
#include <vector>

namespace {

using HogDetector = dlib::frontal_face_detector;

void to_dlib(const uint8_t* gray, int width, int height, dlib::array2d<unsigned char>& img) {
  avv::view(gray, width, height, 1);  // validates
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

// ---- Haar cascade ---------------------------------------------------------------------------------------

// Loads a cascade XML (path as NUL-terminated UTF-8). Returns null with an error set when it cannot be loaded.
AVV_API void* avv_haar_load(const char* path) {
  AVV_TRY
  auto c = std::make_unique<cv::CascadeClassifier>();
  if (!c->load(path) || c->empty())
    throw std::runtime_error(std::string("cannot load Haar cascade '") + path + "'");
  return c.release();
  AVV_CATCH(nullptr)
}

AVV_API void avv_haar_free(void* h) { delete static_cast<cv::CascadeClassifier*>(h); }

// Runs detectMultiScale on a gray image (as cv2's detectMultiScale(gray, scale_factor, min_neighbors,
// minSize=(min_size, min_size))). Writes a malloc'd array of x,y,w,h ints; returns the count or -1.
AVV_API int avv_haar_detect(void* h, const uint8_t* gray, int width, int height, double scale_factor,
                            int min_neighbors, int min_size, int max_size, int** rects) {
  AVV_TRY
  *rects = nullptr;
  if (h == nullptr) throw std::invalid_argument("null cascade");
  auto* c = static_cast<cv::CascadeClassifier*>(h);
  cv::Mat img = avv::view(gray, width, height, 1);
  std::vector<cv::Rect> found;
  c->detectMultiScale(img, found, scale_factor, min_neighbors, 0, cv::Size(min_size, min_size),
                      max_size > 0 ? cv::Size(max_size, max_size) : cv::Size());
  std::vector<int> flat;
  flat.reserve(found.size() * 4);
  for (const auto& r : found) flat.insert(flat.end(), {r.x, r.y, r.width, r.height});
  *rects = give_array(flat);
  return static_cast<int>(found.size());
  AVV_CATCH(-1)
}

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

// ---- dlib shape predictor --------------------------------------------------------------------------------

// Loads a serialized shape predictor (e.g. shape_predictor_68_face_landmarks.dat). Slow (~100 MB): load once.
AVV_API void* avv_shape_load(const char* path) {
  AVV_TRY
  auto sp = std::make_unique<dlib::shape_predictor>();
  dlib::deserialize(path) >> *sp;
  if (sp->num_parts() == 0) throw std::runtime_error(std::string("shape predictor '") + path + "' has no parts");
  return sp.release();
  AVV_CATCH(nullptr)
}

AVV_API void avv_shape_free(void* h) { delete static_cast<dlib::shape_predictor*>(h); }

AVV_API int avv_shape_num_parts(void* h) {
  AVV_TRY
  if (h == nullptr) throw std::invalid_argument("null shape predictor");
  return static_cast<int>(static_cast<dlib::shape_predictor*>(h)->num_parts());
  AVV_CATCH(-1)
}

// Predicts the parts inside the box (x, y, w, h) of a gray image. points receives num_parts (x, y) float pairs.
AVV_API int avv_shape_predict(void* h, const uint8_t* gray, int width, int height, int x, int y, int w, int hgt,
                              float* points, int capacity) {
  AVV_TRY
  if (h == nullptr) throw std::invalid_argument("null shape predictor");
  if (w <= 0 || hgt <= 0) throw std::invalid_argument("face box must have a positive size");
  auto* sp = static_cast<dlib::shape_predictor*>(h);
  const int n = static_cast<int>(sp->num_parts());
  if (capacity < n) throw std::invalid_argument("landmark buffer holds " + std::to_string(capacity) +
                                                " points, the model has " + std::to_string(n));
  dlib::array2d<unsigned char> img;
  to_dlib(gray, width, height, img);
  dlib::full_object_detection shape = (*sp)(img, dlib::rectangle(x, y, x + w - 1, y + hgt - 1));
  for (int i = 0; i < n; ++i) {
    points[2 * i] = static_cast<float>(shape.part(i).x());
    points[2 * i + 1] = static_cast<float>(shape.part(i).y());
  }
  return n;
  AVV_CATCH(-1)
}
