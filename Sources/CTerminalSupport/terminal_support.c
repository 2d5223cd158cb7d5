#define _XOPEN_SOURCE 700
#define _DEFAULT_SOURCE
#include "terminal_support.h"
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

extern char **environ;

static struct termios saved_termios;
static volatile sig_atomic_t has_saved_termios = 0;

void tc_save_termios(void) {
    if (tcgetattr(STDIN_FILENO, &saved_termios) == 0) has_saved_termios = 1;
}

void tc_emergency_restore(void) {
    // Paste and mouse reporting off too: a shell left with them on prints junk for every click.
    static const char reset[] = "\033[?1006l\033[?1000l\033[?2004l\033[?1049l\033[?25h\033[0m\r\n";
    if (has_saved_termios) tcsetattr(STDIN_FILENO, TCSANOW, &saved_termios);
    ssize_t ignored = write(STDOUT_FILENO, reset, sizeof(reset) - 1);
    (void)ignored;
}

static void crash_handler(int signal_number) {
    tc_emergency_restore();
    signal(signal_number, SIG_DFL);
    raise(signal_number);
}

void tc_install_crash_handlers(void) {
    int signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP};
    for (unsigned i = 0; i < sizeof(signals) / sizeof(signals[0]); i++) {
        struct sigaction action;
        action.sa_handler = crash_handler;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_RESETHAND;
        sigaction(signals[i], &action, 0);
    }
}

static volatile sig_atomic_t quit_fd = -1;
static volatile sig_atomic_t quit_signals = 0;

static void quit_handler(int signal_number) {
    (void)signal_number;
    // A second request while the first is still being handled: end now.
    if (++quit_signals > 1) {
        tc_emergency_restore();
        _exit(0);
    }
    if (quit_fd >= 0) {
        char byte = 'q';
        ssize_t ignored = write(quit_fd, &byte, 1);
        (void)ignored;
    }
}

void tc_install_quit_handlers(int fd) {
    quit_fd = fd;
    int signals[] = {SIGTERM, SIGINT, SIGHUP};
    for (unsigned i = 0; i < sizeof(signals) / sizeof(signals[0]); i++) {
        struct sigaction action;
        action.sa_handler = quit_handler;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_RESTART;
        sigaction(signals[i], &action, 0);
    }
}

void tc_unblock_quit_signals(void) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_UNBLOCK, &set, 0);
}

static pthread_once_t watchdog_once = PTHREAD_ONCE_INIT;
static int watchdog_milliseconds = 1500;

static void *watchdog_main(void *argument) {
    (void)argument;
    struct timespec delay = {watchdog_milliseconds / 1000, (long)(watchdog_milliseconds % 1000) * 1000000L};
    while (nanosleep(&delay, &delay) != 0 && errno == EINTR) {}
    tc_emergency_restore();
    _exit(0);
    return 0;
}

static void start_watchdog(void) {
    pthread_t thread;
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    if (pthread_create(&thread, &attributes, watchdog_main, 0) != 0) {
        // Without a thread there is no bound to keep: end at once rather than maybe never.
        tc_emergency_restore();
        _exit(0);
    }
    pthread_attr_destroy(&attributes);
}

void tc_arm_quit_watchdog(int milliseconds) {
    watchdog_milliseconds = milliseconds;
    pthread_once(&watchdog_once, start_watchdog);
}

int tc_run_in_foreground(const char *command, const char *file) {
    // Our group must own the terminal for the child to read it; take it back if we lost it.
    if (isatty(STDIN_FILENO) && tcgetpgrp(STDIN_FILENO) != getpgrp()) {
        struct sigaction ignore = {0}, previous;
        ignore.sa_handler = SIG_IGN;
        sigemptyset(&ignore.sa_mask);
        sigaction(SIGTTOU, &ignore, &previous);
        tcsetpgrp(STDIN_FILENO, getpgrp());
        sigaction(SIGTTOU, &previous, 0);
    }
    size_t length = 0;
    while (command[length]) length++;
    char *script = malloc(length + 8);
    if (!script) return -1;
    for (size_t i = 0; i < length; i++) script[i] = command[i];
    const char suffix[] = " \"$1\"";
    for (size_t i = 0; i < sizeof(suffix); i++) script[length + i] = suffix[i];

    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attributes, &none);
    posix_spawnattr_setsigdefault(&attributes, &all);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    char *arguments[] = {"sh", "-c", script, "sh", (char *)file, 0};
    pid_t child;
    int spawned = posix_spawn(&child, "/bin/sh", 0, &attributes, arguments, environ);
    posix_spawnattr_destroy(&attributes);
    free(script);
    if (spawned != 0) return -1;
    int status = 0;
    while (waitpid(child, &status, 0) < 0) {
        if (errno != EINTR) return -1;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static volatile sig_atomic_t resize_fd = -1;
static struct sigaction previous_winch;

static void resize_handler(int signal_number) {
    if (previous_winch.sa_handler != SIG_DFL && previous_winch.sa_handler != SIG_IGN && previous_winch.sa_handler != 0) {
        previous_winch.sa_handler(signal_number);
    }
    if (resize_fd >= 0) {
        char byte = 'r';
        ssize_t ignored = write(resize_fd, &byte, 1);
        (void)ignored;
    }
}

void tc_install_resize_wakeup(int fd) {
    resize_fd = fd;
    struct sigaction action;
    action.sa_handler = resize_handler;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGWINCH, &action, &previous_winch);
}

static void write_all(const char *bytes, size_t length) {
    while (length > 0) {
        ssize_t written = write(STDOUT_FILENO, bytes, length);
        if (written < 0 && errno == EINTR) continue;
        if (written <= 0) return;
        bytes += written;
        length -= (size_t)written;
    }
}

void tc_stop_process(void) {
    struct sigaction default_action, previous;
    memset(&default_action, 0, sizeof default_action);
    default_action.sa_handler = SIG_DFL;
    sigemptyset(&default_action.sa_mask);
    sigaction(SIGTSTP, &default_action, &previous);
    sigset_t stop, old;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTSTP);
    pthread_sigmask(SIG_UNBLOCK, &stop, &old);
    // To this thread, not the process group: a group signal goes to whichever thread the
    // kernel picks (the main thread, which may take it only later, when curses' handler is
    // back in place), so the first Ctrl-Z did nothing and the next one stopped. A signal to
    // the calling thread, unblocked here, is taken before pthread_kill returns, and its stop
    // stops every thread.
    pthread_kill(pthread_self(), SIGTSTP);
    pthread_sigmask(SIG_SETMASK, &old, 0);
    sigaction(SIGTSTP, &previous, 0);
}

void tc_write_out(const char *bytes, long length) {
    if (length > 0) write_all(bytes, (size_t)length);
}

/// Reads a cursor position report (ESC [ row ; column R) within `timeout_ms`; answers the
/// column, or -1. Bytes before it (keys typed meanwhile) are dropped.
/// Keys typed while the terminal was asked (read with its answers): kept, to be read as keys.
static unsigned char typed_ahead[256];
static int typed_ahead_count = 0;

int tc_take_typed_ahead(unsigned char *buffer, int capacity) {
    int count = typed_ahead_count < capacity ? typed_ahead_count : capacity;
    for (int i = 0; i < count; i++) buffer[i] = typed_ahead[i];
    typed_ahead_count = 0;
    return count;
}

static int read_cursor_column(int timeout_ms) {
    char answer[32];
    size_t used = 0;
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        long elapsed = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
        if (elapsed >= timeout_ms) return -1;
        struct pollfd input = {.fd = STDIN_FILENO, .events = POLLIN};
        int ready = poll(&input, 1, (int)(timeout_ms - elapsed));
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0 || !(input.revents & POLLIN)) return -1;
        char byte;
        if (read(STDIN_FILENO, &byte, 1) != 1) return -1;
        if (byte == '\033') used = 0;
        // Outside an escape sequence, a byte is a key the person typed meanwhile: kept.
        if (used == 0 && byte != '\033') {
            if (typed_ahead_count < (int)sizeof(typed_ahead)) typed_ahead[typed_ahead_count++] = (unsigned char)byte;
            continue;
        }
        if (used < sizeof(answer) - 1) answer[used++] = byte;
        if (byte == 'R' && used > 2 && answer[0] == '\033' && answer[1] == '[') {
            answer[used] = 0;
            int row = 0, column = 0;
            if (sscanf(answer, "\033[%d;%dR", &row, &column) == 2) return column;
            used = 0;
        }
        // Any other sequence that ended (an arrow key) is no answer: look for the next.
        if (used > 2 && answer[1] == '[' && (unsigned char)byte >= 0x40 && (unsigned char)byte <= 0x7E) used = 0;
    }
}

void tc_measure_widths(const char *const *samples, int count, int *widths, int timeout_ms) {
    for (int i = 0; i < count; i++) widths[i] = -1;
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) return;
    struct termios original;
    if (tcgetattr(STDIN_FILENO, &original) != 0) return;
    struct termios quiet = original;
    quiet.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
    quiet.c_cc[VMIN] = 1;
    quiet.c_cc[VTIME] = 0;
    if (tcsetattr(STDIN_FILENO, TCSANOW, &quiet) != 0) return;
    // On the alternate screen, so that nothing of the user's shell screen is touched.
    static const char enter[] = "\033[?1049h";
    write_all(enter, sizeof(enter) - 1);
    for (int i = 0; i < count; i++) {
        static const char ask[] = "\033[6n";
        write_all("\r", 1);
        write_all(samples[i], strlen(samples[i]));
        write_all(ask, sizeof(ask) - 1);
        int column = read_cursor_column(timeout_ms);
        if (column < 1) break;
        widths[i] = column - 1;
    }
    static const char clear[] = "\r\033[K\033[?1049l";
    write_all(clear, sizeof(clear) - 1);
    tcsetattr(STDIN_FILENO, TCSANOW, &original);
}

int tc_wcwidth(unsigned int scalar) { return wcwidth((wchar_t)scalar); }
