#include "terminal_support.h"
#include <pthread.h>
#include <signal.h>
#include <termios.h>
#include <unistd.h>

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

static void quit_handler(int signal_number) {
    (void)signal_number;
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
