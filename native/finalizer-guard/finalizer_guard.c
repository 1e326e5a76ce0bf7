/* Finalizer guard for TorchSharp's native handles.

   TorchSharp passes a Scalar's or Tensor's raw handle to libtorch; once the handle is read, the managed object may be
   unreachable (TorchSharp makes a temporary Scalar for every `a + b`'s alpha, every number given to a tensor method).
   A garbage collection started by any other thread can then run its finalizer, which frees the native object while
   the call that received it still reads it (libtorch: "Unknown scalar type", "alpha must not be a floating point
   number"). This library stands in for libLibTorchSharp.so in TorchSharp's P/Invoke lookups (AverLab installs it with
   NativeLibrary.SetDllImportResolver; every other symbol resolves to the real library, its DT_NEEDED). Its two
   dispose functions free at once when called by explicit Dispose, and keep what the finalizer thread frees for
   `delay` milliseconds first, so no call that started before the collection can still be using it. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef void (*dispose_fn)(void *);

struct held { void *handle; dispose_fn dispose; uint64_t due_ns; };

static dispose_fn real_scalar, real_tensor;
static __thread int finalizer_thread = -1; /* per thread: unknown, 0 or 1 */
static uint64_t delay_ns = 2000000000ull;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct held *queue;
static size_t capacity, head, count;
static uint64_t deferred_total, released_total;

static uint64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

/* The real dispose functions (from libLibTorchSharp.so) and the hold time. Returns 0 on success. */
int averlab_guard_init(dispose_fn scalar, dispose_fn tensor, uint64_t delay_ms)
{
    if (!scalar || !tensor) return 1;
    real_scalar = scalar;
    real_tensor = tensor;
    delay_ns = delay_ms * 1000000ull;
    return 0;
}

/* The .NET runtime names its one finalizer thread ".NET Finalizer" (CoreCLR, every version since 3.0); each thread
   asks once. Running managed code on that thread to learn it instead deadlocks inside a module initializer. */
static int on_finalizer_thread(void)
{
    if (finalizer_thread < 0)
    {
        char name[16] = "";
        finalizer_thread = pthread_getname_np(pthread_self(), name, sizeof name) == 0 && strcmp(name, ".NET Finalizer") == 0;
    }
    return finalizer_thread;
}

/* Frees what is due (oldest first), then holds the new handle; on allocation failure frees it now. */
static void hold(void *handle, dispose_fn dispose)
{
    uint64_t now = now_ns();
    struct held due[64];
    size_t n = 0;
    pthread_mutex_lock(&lock);
    while (count > 0 && n < 64 && queue[head].due_ns <= now)
    {
        due[n++] = queue[head];
        head = (head + 1) % capacity;
        count--;
    }
    int kept = 0;
    if (count == capacity)
    {
        size_t grown = capacity ? capacity * 2 : 4096;
        struct held *q = malloc(grown * sizeof *q);
        if (q)
        {
            for (size_t i = 0; i < count; i++) q[i] = queue[(head + i) % capacity];
            free(queue);
            queue = q;
            capacity = grown;
            head = 0;
        }
    }
    if (count < capacity)
    {
        queue[(head + count) % capacity] = (struct held){ handle, dispose, now + delay_ns };
        count++;
        deferred_total++;
        kept = 1;
    }
    released_total += n;
    pthread_mutex_unlock(&lock);
    for (size_t i = 0; i < n; i++) due[i].dispose(due[i].handle);
    if (!kept) dispose(handle);
}

void THSTorch_dispose_scalar(void *handle)
{
    if (on_finalizer_thread()) hold(handle, real_scalar);
    else real_scalar(handle);
}

void THSTensor_dispose(void *handle)
{
    if (on_finalizer_thread()) hold(handle, real_tensor);
    else real_tensor(handle);
}

/* Counters for tests and run records: handles held since start, released since start, held now. */
void averlab_guard_stats(uint64_t *deferred, uint64_t *released, uint64_t *held_now)
{
    pthread_mutex_lock(&lock);
    *deferred = deferred_total;
    *released = released_total;
    *held_now = count;
    pthread_mutex_unlock(&lock);
}
