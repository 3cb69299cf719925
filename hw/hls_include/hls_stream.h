// codesign's own hls::stream for C simulation: an unbounded FIFO with the Vitis interface.
// (The hls_stream.h that ships with some HLS distributions carries an unclear licence.)
// Reading an empty stream is what would deadlock the hardware: it throws, and the csim
// backend reports it as an error naming the stream.
#ifndef CODESIGN_HLS_STREAM_H
#define CODESIGN_HLS_STREAM_H

#include <deque>
#include <stdexcept>
#include <string>

namespace hls {

template <typename T>
class stream {
  public:
    typedef T value_type;

    stream() : name_("stream") {}
    explicit stream(const char* name) : name_(name) {}
    stream(const stream&) = delete;
    stream& operator=(const stream&) = delete;

    void write(const T& value) { fifo_.push_back(value); }
    void operator<<(const T& value) { write(value); }

    T read() {
        if (fifo_.empty()) {
            throw std::runtime_error("read from empty hls::stream `" + name_ + "`");
        }
        T value = fifo_.front();
        fifo_.pop_front();
        return value;
    }
    void read(T& value) { value = read(); }
    void operator>>(T& value) { value = read(); }

    bool read_nb(T& value) {
        if (fifo_.empty()) return false;
        value = read();
        return true;
    }
    bool write_nb(const T& value) {
        write(value);
        return true;
    }

    bool empty() const { return fifo_.empty(); }
    bool full() const { return false; }
    std::size_t size() const { return fifo_.size(); }
    void set_name(const char* name) { name_ = name; }

  private:
    std::deque<T> fifo_;
    std::string name_;
};

}  // namespace hls

#endif
