#ifndef TERMCHAT_TERMINAL_SUPPORT_H
#define TERMCHAT_TERMINAL_SUPPORT_H
/// Saves the terminal's settings so they can be restored from a crash signal handler.
void tc_save_termios(void);
/// Restores the terminal with async-signal-safe calls only (tcsetattr, write).
void tc_emergency_restore(void);
/// Installs handlers for SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT and SIGTRAP that restore
/// the terminal, then let the signal kill the process as it would have.
void tc_install_crash_handlers(void);
/// Makes SIGTERM, SIGINT and SIGHUP write one byte to `fd` (the self-pipe trick), so the
/// terminal thread, which polls it, can quit cleanly and restore the terminal.
void tc_install_quit_handlers(int fd);
/// Unblocks SIGTERM, SIGINT and SIGHUP in the calling thread: a parent may have started us
/// with them blocked, and then a quit request would never arrive.
void tc_unblock_quit_signals(void);
#endif
