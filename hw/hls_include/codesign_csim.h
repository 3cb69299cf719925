// The C-simulation driver: fills a kernel's hls::stream arguments from raw element arrays,
// sets its scalars and arrays, calls the HLS top function and drains its outputs. Generic
// over the top's signature (the parameter types are deduced), so a kernel's csim entry point
// is a few generated lines naming the parameters in order (codesign_hw::csim, from the
// manifest).
#ifndef CODESIGN_CSIM_H
#define CODESIGN_CSIM_H

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>

#include "ap_axi_sdata.h"
#include "ap_fixed.h"
#include "ap_int.h"
#include "hls_stream.h"

namespace codesign {

template <typename F>
struct signature;
template <typename R, typename... A>
struct signature<R (*)(A...)> {
    // Every parameter by value: hls::stream and scalars are default-constructible.
    typedef std::tuple<typename std::remove_cv<typename std::remove_reference<A>::type>::type...> storage;
};

template <typename T, typename = void>
struct has_data : std::false_type {};
template <typename T>
struct has_data<T, decltype((void)std::declval<T&>().data, void())> : std::true_type {};

// Raw element bits -> a value of the element type (ints, ap_int/ap_fixed raw bits, float bits).
template <typename V>
void from_raw(V& v, uint64_t raw) {
    if constexpr (std::is_same<V, float>::value) {
        uint32_t bits = static_cast<uint32_t>(raw);
        std::memcpy(&v, &bits, sizeof v);
    } else if constexpr (std::is_same<V, double>::value) {
        std::memcpy(&v, &raw, sizeof v);
    } else if constexpr (std::is_arithmetic<V>::value) {
        v = static_cast<V>(raw);
    } else {
        v.range() = raw;  // ap_int / ap_uint / ap_fixed: the raw bit pattern
    }
}

template <typename V>
uint64_t to_raw(const V& v) {
    if constexpr (std::is_same<V, float>::value) {
        uint32_t bits;
        std::memcpy(&bits, &v, sizeof bits);
        return bits;
    } else if constexpr (std::is_same<V, double>::value) {
        uint64_t bits;
        std::memcpy(&bits, &v, sizeof bits);
        return bits;
    } else if constexpr (std::is_arithmetic<V>::value) {
        return static_cast<uint64_t>(v);
    } else {
        return v.range().to_uint64();
    }
}

// One packet on an input stream, `lanes` elements of `bits` each per beat (lane 0 in the low
// bits; a partial last beat keeps only its filled lanes in TKEEP), TLAST on the last beat.
template <typename T>
void fill(hls::stream<T>& s, const uint64_t* data, size_t n, int lanes, int bits) {
    size_t beats = (n + lanes - 1) / lanes;
    for (size_t i = 0; i < beats; ++i) {
        T v;
        if constexpr (has_data<T>::value) {
            if (lanes == 1) {
                from_raw(v.data, data[i]);
                v.keep = -1;
            } else {
                if constexpr (std::is_arithmetic<decltype(v.data)>::value) {
                    throw std::runtime_error("lanes > 1 need an ap_int/ap_uint TDATA");
                } else {
                    v.data = 0;
                    v.keep = 0;
                    for (int l = 0; l < lanes && i * lanes + l < n; ++l) {
                        v.data.range(l * bits + bits - 1, l * bits) = data[i * lanes + l];
                        v.keep.range((l + 1) * bits / 8 - 1, l * bits / 8) = -1;
                    }
                }
            }
            v.strb = v.keep;
            v.user = 0;
            v.id = 0;
            v.dest = 0;
            v.last = (i + 1 == beats);
        } else {
            from_raw(v, data[i]);
        }
        s.write(v);
    }
}

// Everything an output stream holds, unpacked by TKEEP into `lanes` elements of `bits` per
// beat; returns the element count, or cap + 1 if they did not fit.
template <typename T>
size_t drain(hls::stream<T>& s, uint64_t* out, size_t cap, int lanes, int bits) {
    size_t n = 0;
    while (!s.empty()) {
        T v = s.read();
        if constexpr (has_data<T>::value) {
            if (lanes == 1) {
                if (n == cap) return cap + 1;
                out[n++] = to_raw(v.data);
            } else {
                if constexpr (!std::is_arithmetic<decltype(v.data)>::value) {
                    for (int l = 0; l < lanes; ++l) {
                        bool kept = v.keep.range((l + 1) * bits / 8 - 1, l * bits / 8) != 0;
                        if (!kept) continue;
                        if (n == cap) return cap + 1;
                        out[n++] = v.data.range(l * bits + bits - 1, l * bits).to_uint64();
                    }
                }
            }
        } else {
            if (n == cap) return cap + 1;
            out[n++] = to_raw(v);
        }
    }
    return n;
}

// A scalar parameter by value or reference is its own storage; one by pointer (`T*`, an
// output or inout) points at a cell. `slot` binds the pointer and returns the value either way.
template <typename P>
struct cell {
    typedef P type;
};
template <typename T>
struct cell<T*> {
    typedef typename std::remove_cv<T>::type type;
};
template <typename P, typename C>
P& slot(P& v, C&) {
    return v;
}
template <typename T, typename C>
C& slot(T*& p, C& c) {
    p = &c;
    return c;
}

// One transaction's contents of an ap_memory array, in and out.
template <typename E>
void load_array(E* a, const uint64_t* raw, size_t n) {
    for (size_t i = 0; i < n; ++i) from_raw(a[i], raw[i]);
}
template <typename E>
void store_array(const E* a, uint64_t* raw, size_t n) {
    for (size_t i = 0; i < n; ++i) raw[i] = to_raw(a[i]);
}

// An output's length, or cap + 1 when it did not fit (the caller reports it).
inline size_t fit(size_t n, size_t cap) {
    return n <= cap ? n : cap + 1;
}

template <typename T>
void set_scalar(T& v, uint64_t raw) {
    from_raw(v, raw);
}

template <typename T>
uint64_t get_scalar(const T& v) {
    return to_raw(v);
}

}  // namespace codesign

#endif
