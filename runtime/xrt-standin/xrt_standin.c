/*
 * A STAND-IN FOR libxrt_coreutil, NOT XRT: the subset of XRT's C API (xrt/xrt_device.h,
 * xrt_kernel.h, xrt_bo.h) that codesign's `xrt` backend calls, with the same signatures and
 * return conventions, so the backend runs in CI without a card -- as board-sim stands in for
 * a board. The "card" is a callback the host process registers through the one stand-in-only
 * function, xrt_standin_register (codesign runs the call on its cosim backend).
 *
 * Modelled: buffer objects with a host copy and a card copy (xrtBOSync moves bytes between
 * them, so a missing sync shows as stale data), card addresses, kernel argument kinds (the
 * callback says which index is a buffer or a 32/64-bit scalar, as XRT reads them from the
 * xclbin), runs whose state xrtRunWaitFor returns. Errors return what XRT returns (NULL or
 * an errno value, errno set) and print a message on stderr, as XRT logs its exceptions.
 * Not modelled: xclbin contents (any existing file, or the name "stand-in", loads), memory
 * banks (one group), asynchronous runs (a run completes inside xrtRunStart, unless
 * xrt_standin_hold_runs holds it).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef void *xrtDeviceHandle;
typedef void *xrtKernelHandle;
typedef void *xrtRunHandle;
typedef void *xrtBufferHandle;
typedef uint64_t xrtBufferFlags;
typedef uint32_t xrtMemoryGroup;
typedef unsigned char xuid_t[16];

enum { SYNC_TO_DEVICE = 0, SYNC_FROM_DEVICE = 1 };
/* enum ert_cmd_state */
enum { STATE_NEW = 1, STATE_RUNNING = 3, STATE_COMPLETED = 4, STATE_ERROR = 5, STATE_TIMEOUT = 8 };

/* What the host's callbacks see of one argument. kind: 0 buffer, 4 or 8 scalar bytes. */
struct standin_arg {
    int kind;
    uint64_t value;
    unsigned char *card;
    size_t size;
    uint64_t address;
};
/* Kind of argument `index` of `kernel`: 0 buffer, 4/8 scalar bytes, -1 refused (message
 * written to `error`). */
typedef int (*standin_arg_kind)(const char *kernel, int index, char *error, size_t error_len);
/* Runs `kernel` on its arguments (buffers' card copies are read and written in place);
 * 0 on success, else a message in `error`. */
typedef int (*standin_execute)(const char *kernel, int nargs, struct standin_arg *args, char *error, size_t error_len);

static standin_arg_kind arg_kind_cb;
static standin_execute execute_cb;
static int hold_runs;

/* The stand-in-only entry points: the card's callbacks, and a card that never finishes
 * (runs stay RUNNING: xrtRunWaitFor times out), for testing the wait's bound. */
void xrt_standin_register(standin_arg_kind arg_kind, standin_execute execute) {
    arg_kind_cb = arg_kind;
    execute_cb = execute;
}

void xrt_standin_hold_runs(int hold) {
    hold_runs = hold;
}

#define MAX_ARGS 32
#define MAX_NAME 256

struct device { int loaded; unsigned char uuid[16]; uint64_t next_address; };
struct kernel { struct device *device; char name[MAX_NAME]; };
struct bo { size_t size; uint64_t address; unsigned char *host; unsigned char *card; };
struct run { struct kernel *kernel; struct standin_arg args[MAX_ARGS]; int set[MAX_ARGS]; int state; };

static int fail(int code, const char *what, const char *detail) {
    fprintf(stderr, "[XRT stand-in] %s: %s\n", what, detail);
    errno = code;
    return code;
}

xrtDeviceHandle xrtDeviceOpen(unsigned int index) {
    if (index != 0) {
        fail(ENODEV, "xrtDeviceOpen", "the stand-in has device 0 only");
        return NULL;
    }
    struct device *d = calloc(1, sizeof *d);
    if (d) d->next_address = 0x4000000000ull;
    return d;
}

int xrtDeviceClose(xrtDeviceHandle handle) {
    free(handle);
    return 0;
}

int xrtDeviceLoadXclbinFile(xrtDeviceHandle handle, const char *path) {
    struct device *d = handle;
    if (!d) return fail(EINVAL, "xrtDeviceLoadXclbinFile", "null device");
    if (strcmp(path, "stand-in") != 0) {
        FILE *f = fopen(path, "rb");
        if (!f) return fail(errno, "xrtDeviceLoadXclbinFile", path);
        fclose(f);
    }
    d->loaded = 1;
    memset(d->uuid, 0x5a, sizeof d->uuid);
    return 0;
}

int xrtDeviceGetXclbinUUID(xrtDeviceHandle handle, xuid_t out) {
    struct device *d = handle;
    if (!d || !d->loaded) return fail(EINVAL, "xrtDeviceGetXclbinUUID", "no xclbin loaded");
    memcpy(out, d->uuid, sizeof d->uuid);
    return 0;
}

xrtKernelHandle xrtPLKernelOpen(xrtDeviceHandle handle, const xuid_t uuid, const char *name) {
    struct device *d = handle;
    if (!d || !d->loaded || memcmp(uuid, d->uuid, sizeof d->uuid) != 0) {
        fail(EINVAL, "xrtPLKernelOpen", "no xclbin with this uuid is loaded");
        return NULL;
    }
    if (!arg_kind_cb || !execute_cb) {
        fail(ENODEV, "xrtPLKernelOpen", "no card: call xrt_standin_register first");
        return NULL;
    }
    if (strlen(name) >= MAX_NAME) {
        fail(ENAMETOOLONG, "xrtPLKernelOpen", name);
        return NULL;
    }
    char error[512] = "";
    if (arg_kind_cb(name, 0, error, sizeof error) < 0 && error[0]) {
        fail(ENOENT, "xrtPLKernelOpen", error);
        return NULL;
    }
    struct kernel *k = calloc(1, sizeof *k);
    if (!k) return NULL;
    k->device = d;
    strcpy(k->name, name);
    return k;
}

int xrtKernelClose(xrtKernelHandle handle) {
    free(handle);
    return 0;
}

int xrtKernelArgGroupId(xrtKernelHandle handle, int index) {
    struct kernel *k = handle;
    char error[512] = "";
    if (!k || arg_kind_cb(k->name, index, error, sizeof error) != 0) {
        fail(EINVAL, "xrtKernelArgGroupId", error[0] ? error : "not a buffer argument");
        return -1;
    }
    return 0;
}

xrtBufferHandle xrtBOAlloc(xrtDeviceHandle handle, size_t size, xrtBufferFlags flags, xrtMemoryGroup group) {
    struct device *d = handle;
    (void)flags;
    if (!d || size == 0 || group != 0) {
        fail(EINVAL, "xrtBOAlloc", size == 0 ? "size 0" : "no such device or memory group");
        return NULL;
    }
    struct bo *b = calloc(1, sizeof *b);
    if (!b) return NULL;
    b->size = size;
    b->host = calloc(1, size);
    b->card = calloc(1, size);
    b->address = d->next_address;
    d->next_address += (size + 4095) / 4096 * 4096 + 4096;
    if (!b->host || !b->card) {
        free(b->host);
        free(b->card);
        free(b);
        fail(ENOMEM, "xrtBOAlloc", "out of host memory");
        return NULL;
    }
    return b;
}

int xrtBOFree(xrtBufferHandle handle) {
    struct bo *b = handle;
    if (b) {
        free(b->host);
        free(b->card);
        free(b);
    }
    return 0;
}

void *xrtBOMap(xrtBufferHandle handle) {
    struct bo *b = handle;
    return b ? b->host : NULL;
}

uint64_t xrtBOAddress(xrtBufferHandle handle) {
    struct bo *b = handle;
    return b ? b->address : (uint64_t)-1;
}

int xrtBOSync(xrtBufferHandle handle, int direction, size_t size, size_t offset) {
    struct bo *b = handle;
    if (!b || offset > b->size || size > b->size - offset) return fail(EINVAL, "xrtBOSync", "range outside the buffer");
    if (direction == SYNC_TO_DEVICE) memcpy(b->card + offset, b->host + offset, size);
    else if (direction == SYNC_FROM_DEVICE) memcpy(b->host + offset, b->card + offset, size);
    else return fail(EINVAL, "xrtBOSync", "bad direction");
    return 0;
}

xrtRunHandle xrtRunOpen(xrtKernelHandle handle) {
    struct run *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->kernel = handle;
    r->state = STATE_NEW;
    return r;
}

/* As XRT: the variadic argument's type is read from the argument's kind (a buffer handle,
 * a uint32_t or a uint64_t). */
int xrtRunSetArg(xrtRunHandle handle, int index, ...) {
    struct run *r = handle;
    if (!r || index < 0 || index >= MAX_ARGS) return fail(EINVAL, "xrtRunSetArg", "bad run or index");
    char error[512] = "";
    int kind = arg_kind_cb(r->kernel->name, index, error, sizeof error);
    if (kind < 0) return fail(EINVAL, "xrtRunSetArg", error[0] ? error : "no such argument");
    va_list args;
    va_start(args, index);
    struct standin_arg *a = &r->args[index];
    a->kind = kind;
    if (kind == 0) {
        struct bo *b = va_arg(args, xrtBufferHandle);
        a->card = b ? b->card : NULL;
        a->size = b ? b->size : 0;
        a->address = b ? b->address : 0;
    } else if (kind == 4) {
        a->value = va_arg(args, uint32_t);
    } else {
        a->value = va_arg(args, uint64_t);
    }
    va_end(args);
    r->set[index] = 1;
    return 0;
}

int xrtRunStart(xrtRunHandle handle) {
    struct run *r = handle;
    if (!r) return fail(EINVAL, "xrtRunStart", "null run");
    int nargs = 0;
    for (int i = 0; i < MAX_ARGS; i++)
        if (r->set[i]) nargs = i + 1;
    for (int i = 0; i < nargs; i++)
        if (!r->set[i]) return fail(EINVAL, "xrtRunStart", "an argument before the last one set was never set");
    char error[1024] = "";
    r->state = STATE_RUNNING;
    if (hold_runs) return 0;
    if (execute_cb(r->kernel->name, nargs, r->args, error, sizeof error) != 0) {
        fprintf(stderr, "[XRT stand-in] run of %s failed: %s\n", r->kernel->name, error);
        r->state = STATE_ERROR;
    } else {
        r->state = STATE_COMPLETED;
    }
    return 0;
}

int xrtRunWaitFor(xrtRunHandle handle, unsigned int timeout_ms) {
    struct run *r = handle;
    if (!r) return STATE_ERROR;
    if (r->state == STATE_RUNNING) {
        struct timespec wait = { timeout_ms / 1000, (long)(timeout_ms % 1000) * 1000000L };
        nanosleep(&wait, NULL);
        return STATE_TIMEOUT;
    }
    return r->state;
}

int xrtRunClose(xrtRunHandle handle) {
    free(handle);
    return 0;
}
