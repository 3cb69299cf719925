// C simulation of m_axi pointer arguments: a kernel's buffer travels as raw elements (one per
// uint64_t, like stream elements); the HLS top takes a plain pointer to its own element type
// (int*, ap_uint<512>*...). These helpers pack elements into a host array of that type,
// little-endian (element 0 in the lowest bits of word 0, as in memory), and back.
#ifndef CODESIGN_BUFFERS_H
#define CODESIGN_BUFFERS_H

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <vector>

#include "ap_int.h"

namespace codesign {

template <typename E>
struct word_bits {
    static constexpr int value = static_cast<int>(sizeof(E) * 8);
};
template <int W>
struct word_bits<ap_uint<W> > {
    static constexpr int value = W;
};
template <int W>
struct word_bits<ap_int<W> > {
    static constexpr int value = W;
};

// Word bytes -> word (arithmetic types by memcpy, ap types 64 bits at a time by range).
template <typename E>
void word_from_bytes(E& w, const uint8_t* bytes) {
    if constexpr (std::is_arithmetic<E>::value) {
        std::memcpy(&w, bytes, sizeof w);
    } else {
        constexpr int bits = word_bits<E>::value;
        for (int lo = 0; lo < bits; lo += 64) {
            int hi = std::min(lo + 64, bits) - 1;
            uint64_t chunk = 0;
            std::memcpy(&chunk, bytes + lo / 8, (hi - lo + 1) / 8);
            w.range(hi, lo) = chunk;
        }
    }
}

template <typename E>
void word_to_bytes(const E& w, uint8_t* bytes) {
    if constexpr (std::is_arithmetic<E>::value) {
        std::memcpy(bytes, &w, sizeof w);
    } else {
        constexpr int bits = word_bits<E>::value;
        for (int lo = 0; lo < bits; lo += 64) {
            int hi = std::min(lo + 64, bits) - 1;
            uint64_t chunk = w.range(hi, lo).to_uint64();
            std::memcpy(bytes + lo / 8, &chunk, (hi - lo + 1) / 8);
        }
    }
}

// `n` elements of `bits` bits into whole words of E, room for at least `capacity` elements;
// the tail of the last word is zero.
template <typename E>
std::vector<E> pack_buffer(const uint64_t* data, size_t n, int bits, size_t capacity) {
    constexpr size_t word_bytes = word_bits<E>::value / 8;
    size_t element_bytes = static_cast<size_t>(bits) / 8;
    size_t elements = std::max(n, capacity);
    size_t words = std::max<size_t>(1, (elements * element_bytes + word_bytes - 1) / word_bytes);
    std::vector<uint8_t> bytes(words * word_bytes, 0);
    for (size_t i = 0; i < n; ++i) {
        std::memcpy(&bytes[i * element_bytes], &data[i], element_bytes);  // little-endian host
    }
    std::vector<E> out(words);
    for (size_t k = 0; k < words; ++k) word_from_bytes(out[k], &bytes[k * word_bytes]);
    return out;
}

// The first `n` elements of `bits` bits back out of the words; returns `n`.
template <typename E>
size_t unpack_buffer(const std::vector<E>& words, uint64_t* out, size_t n, int bits) {
    constexpr size_t word_bytes = word_bits<E>::value / 8;
    size_t element_bytes = static_cast<size_t>(bits) / 8;
    std::vector<uint8_t> bytes(words.size() * word_bytes, 0);
    for (size_t k = 0; k < words.size(); ++k) word_to_bytes(words[k], &bytes[k * word_bytes]);
    n = std::min(n, bytes.size() / element_bytes);
    for (size_t i = 0; i < n; ++i) {
        out[i] = 0;
        std::memcpy(&out[i], &bytes[i * element_bytes], element_bytes);
    }
    return n;
}

}  // namespace codesign

#endif
