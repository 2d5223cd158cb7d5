// Linked into termchat's coverage build by make-order: SanitizerCoverage calls
// __sanitizer_cov_trace_pc_guard at the entry of every function with that function's own guard;
// the first call of each is recorded (the guard and the caller's address, in order) and written
// to $LAYOUT_ENTRIES when the process ends (termchat ends with _exit, wrapped for this).
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uintptr_t *guards, *callers;
static atomic_size_t count;
static size_t capacity;

void __sanitizer_cov_trace_pc_guard(uint32_t *guard);

static void write_entries(void) {
    const char *path = getenv("LAYOUT_ENTRIES");
    if (!path || !guards) return;
    FILE *file = fopen(path, "w");
    if (!file) return;
    // The address of a known function, to undo the executable's load offset.
    fprintf(file, "reference %lx\n", (unsigned long)(uintptr_t)&__sanitizer_cov_trace_pc_guard);
    size_t n = atomic_load(&count);
    if (n > capacity) n = capacity;
    for (size_t i = 0; i < n; i++) fprintf(file, "%lx %lx\n", (unsigned long)guards[i], (unsigned long)callers[i]);
    fclose(file);
}

void __sanitizer_cov_trace_pc_guard_init(uint32_t *start, uint32_t *stop) {
    if (!guards) {
        capacity = 1 << 22;
        guards = calloc(capacity, sizeof *guards);
        callers = calloc(capacity, sizeof *callers);
        atexit(write_entries);
    }
    for (uint32_t *guard = start; guard < stop; guard++) *guard = 1;
}

void __sanitizer_cov_trace_pc_guard(uint32_t *guard) {
    if (!*guard) return;
    *guard = 0;  // a race may record a function twice; the list keeps the first
    size_t i = atomic_fetch_add(&count, 1);
    if (i < capacity) {
        guards[i] = (uintptr_t)guard;
        callers[i] = (uintptr_t)__builtin_return_address(0);
    }
}

void __real__exit(int);
void __wrap__exit(int code) {
    write_entries();
    __real__exit(code);
}
