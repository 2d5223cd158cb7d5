#include "terminal_support.h"
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static struct termios saved_termios;
static volatile sig_atomic_t has_saved_termios = 0;

void tc_save_termios(void) {
    if (tcgetattr(STDIN_FILENO, &saved_termios) == 0) has_saved_termios = 1;
}

void tc_emergency_restore(void) {
    static const char reset[] = "\033[?1049l\033[?25h\033[0m\r\n";
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
