// Golden values for AverLab.Media's landmarks and HOG faces from dlib itself (Debian libdlib 19.24), the way
// AverLab once computed them natively (a C ABI over OpenCV decode + dlib): gray = cv::cvtColor(imread(path),
// BGR2GRAY); dlib::get_frontal_face_detector() with 0 and 1 upsampling (as native/vision's avv_hog_detect);
// dlib::shape_predictor (shape_predictor_68_face_landmarks.dat) on every upsample-1 box and on fixed boxes.
//
// Build and run (from the repository root; needs libdlib-dev and libopencv-dev, i.e. bash scripts/setup.sh --bench):
//   g++ -O2 -std=c++17 tests/golden/vision_dlib.cpp -o /tmp/vision_dlib $(pkg-config --cflags --libs opencv4 dlib-1)
//   /tmp/vision_dlib > tests/golden/vision_dlib.json
// Inputs: messi5.jpg (opencv-doc), astronaut.png (python3-skimage), and the astronaut turned by 20 degrees
// (cv::warpAffine, replicate border, as FaceLandmarkTests.AlignmentLevelsTheEyesOfATiltedFace).
#include <dlib/image_processing.h>
#include <dlib/revision.h>
#include <dlib/image_processing/frontal_face_detector.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

static void to_dlib(const cv::Mat& gray, dlib::array2d<unsigned char>& img) {
  img.set_size(gray.rows, gray.cols);
  for (int r = 0; r < gray.rows; ++r)
    for (int c = 0; c < gray.cols; ++c) img[r][c] = gray.at<unsigned char>(r, c);
}

static std::vector<dlib::rectangle> hog(dlib::frontal_face_detector& det, const cv::Mat& gray, int upsample,
                                        std::vector<double>& scores) {
  dlib::array2d<unsigned char> img;
  to_dlib(gray, img);
  dlib::pyramid_down<2> pyr;
  for (int i = 0; i < upsample; ++i) dlib::pyramid_up(img, pyr);
  std::vector<dlib::rect_detection> dets;
  det(img, dets, 0.0);
  std::vector<dlib::rectangle> out;
  scores.clear();
  for (auto& d : dets) {
    dlib::rectangle r = d.rect;
    for (int i = 0; i < upsample; ++i) r = pyr.rect_down(r);
    out.push_back(r);
    scores.push_back(d.detection_confidence);
  }
  return out;
}

static void print_box(const dlib::rectangle& r) {
  std::printf("[%ld, %ld, %ld, %ld]", r.left(), r.top(), r.width(), r.height());
}

int main() {
  const std::string messi = "/usr/share/doc/opencv-doc/examples/data/messi5.jpg";
  const std::string astronaut = "/usr/lib/python3/dist-packages/skimage/data/astronaut.png";
  dlib::frontal_face_detector det = dlib::get_frontal_face_detector();
  dlib::shape_predictor sp;
  dlib::deserialize("/usr/share/dlib/shape_predictor_68_face_landmarks.dat") >> sp;

  cv::Mat astro = cv::imread(astronaut);
  double a = 20 * M_PI / 180, c = std::cos(a), s = std::sin(a), cx = 256, cy = 256;
  cv::Mat m = (cv::Mat_<double>(2, 3) << c, s, (1 - c) * cx - s * cy, -s, c, s * cx + (1 - c) * cy);
  cv::Mat tilted;
  cv::cvtColor(astro, astro, cv::COLOR_BGR2RGB);
  cv::warpAffine(astro, tilted, m, cv::Size(512, 512), cv::INTER_LINEAR, cv::BORDER_REPLICATE);
  cv::cvtColor(tilted, tilted, cv::COLOR_RGB2BGR);
  struct Input { std::string name; cv::Mat bgr; };
  std::vector<Input> inputs = {{"messi", cv::imread(messi)}, {"astronaut", cv::imread(astronaut)}, {"astronaut_tilted20", tilted}};

  std::printf("{\n  \"source\": \"tests/golden/vision_dlib.cpp (dlib %d.%d, OpenCV %s)\",\n  \"images\": [\n",
              DLIB_MAJOR_VERSION, DLIB_MINOR_VERSION, CV_VERSION);
  for (size_t k = 0; k < inputs.size(); ++k) {
    cv::Mat gray;
    cv::cvtColor(inputs[k].bgr, gray, cv::COLOR_BGR2GRAY);
    dlib::array2d<unsigned char> img;
    to_dlib(gray, img);
    std::printf("    {\"name\": \"%s\", \"width\": %d, \"height\": %d,\n", inputs[k].name.c_str(), gray.cols, gray.rows);
    for (int up = 0; up <= 1; ++up) {
      std::vector<double> scores;
      auto boxes = hog(det, gray, up, scores);
      std::printf("     \"hog%d\": [", up);
      for (size_t i = 0; i < boxes.size(); ++i) {
        std::printf("%s{\"box\": ", i ? ", " : "");
        print_box(boxes[i]);
        std::printf(", \"score\": %.17g}", scores[i]);
      }
      std::printf("],\n");
    }
    // Landmarks on each upsample-1 box and on a few fixed boxes (off-centre, partly outside the image, tiny).
    std::vector<double> scores;
    auto boxes = hog(det, gray, 1, scores);
    boxes.push_back(dlib::rectangle(10, 20, 10 + 150 - 1, 20 + 150 - 1));
    boxes.push_back(dlib::rectangle(gray.cols - 100, gray.rows - 80, gray.cols - 100 + 200 - 1, gray.rows - 80 + 160 - 1));
    boxes.push_back(dlib::rectangle(100, 60, 100 + 24 - 1, 60 + 24 - 1));
    std::printf("     \"landmarks\": [\n");
    for (size_t i = 0; i < boxes.size(); ++i) {
      auto shape = sp(img, boxes[i]);
      std::printf("       {\"box\": ");
      print_box(boxes[i]);
      std::printf(", \"points\": [");
      for (unsigned long p = 0; p < shape.num_parts(); ++p)
        std::printf("%s%ld, %ld", p ? ", " : "", shape.part(p).x(), shape.part(p).y());
      std::printf("]}%s\n", i + 1 < boxes.size() ? "," : "");
    }
    std::printf("     ]}%s\n", k + 1 < inputs.size() ? "," : "");
  }
  std::printf("  ]\n}\n");
  return 0;
}
