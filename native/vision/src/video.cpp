// Video decoding through the system's FFmpeg libraries (Debian's libavformat/libavcodec/libswscale, built with
// their SIMD). OpenCvSharp4's runtime links an FFmpeg configured with --disable-asm, which decodes H.264 at about
// half the speed (bench/RESULTS.md). The decoder follows OpenCV's VideoCapture: the first video stream, frames in
// presentation order, the stream's rotation metadata reported for the caller to apply, and decoding stops at the
// first packet the decoder refuses (the caller's completeness check tells a truncated or corrupt file from the end).
//
// A decoder crosses the ABI as an opaque heap pointer freed once by avv_video_close; one decoder must not be used
// on two threads at once.
#include "common.h"
extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/display.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>
}
#include <cmath>
#include <mutex>
#include <string>

namespace {

struct Video {
  AVFormatContext* format = nullptr;
  AVCodecContext* codec = nullptr;
  AVFrame* frame = nullptr;
  AVPacket* packet = nullptr;
  SwsContext* sws = nullptr;
  int stream = -1;
  bool flushing = false;
  bool done = false;
  bool has_frame = false;
  int receive_errors = 0;

  ~Video() {
    sws_freeContext(sws);
    av_packet_free(&packet);
    av_frame_free(&frame);
    avcodec_free_context(&codec);
    avformat_close_input(&format);
  }
};

std::string av_error(int code) {
  char text[AV_ERROR_MAX_STRING_SIZE] = {0};
  av_strerror(code, text, sizeof text);
  return text;
}

}  // namespace

struct avv_video_info {
  int32_t width;        // coded frame size, before rotation
  int32_t height;
  int32_t rotation;     // clockwise degrees the display matrix asks for: 0, 90, 180 or 270 (others: 0)
  double fps;           // av_guess_frame_rate (r_frame_rate, else avg_frame_rate); 0 when unknown
  int64_t frame_count;  // the container's nb_frames, else duration x fps rounded; 0 when unknown
};

// Opens the first video stream of path with `threads` decoding threads (0: FFmpeg's choice). Returns the decoder,
// or null with the calling thread's error set; *status says why: -1 unreadable, -2 no video stream, -3 no decoder.
AVV_API void* avv_video_open(const char* path, int threads, avv_video_info* info, int* status) {
  *status = -1;
  AVV_TRY
  // FFmpeg logs decode problems to stderr; here they reach the caller as errors naming the file.
  static std::once_flag quiet;
  std::call_once(quiet, [] { av_log_set_level(AV_LOG_QUIET); });
  auto* v = new Video();
  auto fail = [&](int code, const std::string& message) -> void* {
    delete v;
    *status = code;
    avv::set_error(message);
    return nullptr;
  };
  int rc = avformat_open_input(&v->format, path, nullptr, nullptr);
  if (rc < 0) return fail(-1, "FFmpeg could not open it: " + av_error(rc));
  rc = avformat_find_stream_info(v->format, nullptr);
  if (rc < 0) return fail(-1, "FFmpeg could not read its streams: " + av_error(rc));
  for (unsigned i = 0; i < v->format->nb_streams; ++i)
    if (v->format->streams[i]->codecpar->codec_type == AVMEDIA_TYPE_VIDEO) {
      v->stream = static_cast<int>(i);
      break;
    }
  if (v->stream < 0) return fail(-2, "no video stream");
  AVStream* st = v->format->streams[v->stream];
  const AVCodec* decoder = avcodec_find_decoder(st->codecpar->codec_id);
  if (decoder == nullptr) return fail(-3, std::string("no decoder for video codec ") + avcodec_get_name(st->codecpar->codec_id));
  v->codec = avcodec_alloc_context3(decoder);
  v->frame = av_frame_alloc();
  v->packet = av_packet_alloc();
  if (v->codec == nullptr || v->frame == nullptr || v->packet == nullptr) return fail(-1, "out of memory");
  rc = avcodec_parameters_to_context(v->codec, st->codecpar);
  if (rc < 0) return fail(-1, "FFmpeg could not set up the video decoder: " + av_error(rc));
  v->codec->thread_count = threads;
  v->codec->pkt_timebase = st->time_base;
  rc = avcodec_open2(v->codec, decoder, nullptr);
  if (rc < 0) return fail(-3, std::string("FFmpeg could not open its ") + decoder->name + " decoder: " + av_error(rc));

  info->width = st->codecpar->width;
  info->height = st->codecpar->height;
  info->rotation = 0;
  if (const auto* matrix = reinterpret_cast<const int32_t*>(av_stream_get_side_data(st, AV_PKT_DATA_DISPLAYMATRIX, nullptr))) {
    double angle = av_display_rotation_get(matrix);  // counter-clockwise degrees
    if (std::isfinite(angle)) {
      long clockwise = -std::lround(angle);
      clockwise = ((clockwise % 360) + 360) % 360;
      if (clockwise == 90 || clockwise == 180 || clockwise == 270) info->rotation = static_cast<int32_t>(clockwise);
    }
  }
  AVRational rate = av_guess_frame_rate(v->format, st, nullptr);
  info->fps = rate.num > 0 && rate.den > 0 ? av_q2d(rate) : 0.0;
  int64_t count = st->nb_frames;
  if (count <= 0) {
    double seconds = v->format->duration > 0 ? v->format->duration / static_cast<double>(AV_TIME_BASE)
                     : st->duration > 0      ? st->duration * av_q2d(st->time_base)
                                             : 0.0;
    count = static_cast<int64_t>(std::floor(seconds * info->fps + 0.5));
  }
  info->frame_count = count > 0 ? count : 0;
  *status = 0;
  return v;
  AVV_CATCH(nullptr)
}

// Decodes the next frame: 1 with *seconds its presentation time from the stream's start, 0 at the end of the stream
// or where the decoder refused a packet, -1 on an internal error (the thread's error set).
AVV_API int avv_video_grab(void* handle, double* seconds) {
  AVV_TRY
  auto* v = static_cast<Video*>(handle);
  v->has_frame = false;
  while (!v->done) {
    int rc = avcodec_receive_frame(v->codec, v->frame);
    if (rc == 0) {
      AVStream* st = v->format->streams[v->stream];
      int64_t pts = v->frame->best_effort_timestamp;
      if (pts == AV_NOPTS_VALUE) pts = v->frame->pts;
      if (pts == AV_NOPTS_VALUE) pts = v->frame->pkt_dts;
      if (pts == AV_NOPTS_VALUE) pts = 0;
      if (st->start_time != AV_NOPTS_VALUE) pts -= st->start_time;
      *seconds = pts * av_q2d(st->time_base);
      v->has_frame = true;
      return 1;
    }
    if (rc == AVERROR_EOF) break;
    if (rc != AVERROR(EAGAIN)) {
      // A frame the decoder could not produce: skipped, as OpenCV does, up to a bound.
      if (++v->receive_errors > 4096) break;
      continue;
    }
    if (v->flushing) break;
    rc = av_read_frame(v->format, v->packet);
    if (rc < 0) {
      // End of file (or a read error): drain the frames the decoder still holds.
      avcodec_send_packet(v->codec, nullptr);
      v->flushing = true;
      continue;
    }
    if (v->packet->stream_index != v->stream) {
      av_packet_unref(v->packet);
      continue;
    }
    rc = avcodec_send_packet(v->codec, v->packet);
    av_packet_unref(v->packet);
    if (rc < 0 && rc != AVERROR(EAGAIN)) break;  // a packet the decoder refuses: stop here
  }
  v->done = true;
  return 0;
  AVV_CATCH(-1)
}

// The grabbed frame as packed RGB24 rows (width x height x 3 bytes at rgb): the stream's coded size, to which a
// frame of another size (a resolution change mid-stream) is scaled. 0, or -1 with the thread's error set.
AVV_API int avv_video_retrieve_rgb(void* handle, uint8_t* rgb, int width, int height) {
  AVV_TRY
  auto* v = static_cast<Video*>(handle);
  if (!v->has_frame) throw std::runtime_error("no frame grabbed");
  AVFrame* f = v->frame;
  if (f->width <= 0 || f->height <= 0) throw std::runtime_error("the decoder gave a frame without a size");
  // SWS_BICUBIC, as OpenCV's own conversion (at an unchanged size only the chroma planes are interpolated).
  v->sws = sws_getCachedContext(v->sws, f->width, f->height, static_cast<AVPixelFormat>(f->format), width, height, AV_PIX_FMT_RGB24,
                                SWS_BICUBIC, nullptr, nullptr, nullptr);
  if (v->sws == nullptr)
    throw std::runtime_error(std::string("no conversion from pixel format ") +
                             (av_get_pix_fmt_name(static_cast<AVPixelFormat>(f->format)) ?: "unknown") + " to RGB");
  uint8_t* planes[4] = {rgb, nullptr, nullptr, nullptr};
  int strides[4] = {width * 3, 0, 0, 0};
  int rows = sws_scale(v->sws, f->data, f->linesize, 0, f->height, planes, strides);
  if (rows != height)
    throw std::runtime_error("the colour conversion gave " + std::to_string(rows) + " of " + std::to_string(height) + " rows");
  return 0;
  AVV_CATCH(-1)
}

AVV_API void avv_video_close(void* handle) { delete static_cast<Video*>(handle); }

// Runtime FFmpeg library versions (major.minor.micro packed as FFmpeg does), so a report can name them.
AVV_API int avv_video_versions(unsigned* avformat, unsigned* avcodec) {
  *avformat = avformat_version();
  *avcodec = avcodec_version();
  return 0;
}
