#ifndef TERMCHAT_TERMINAL_SUPPORT_H
#define TERMCHAT_TERMINAL_SUPPORT_H
/// Saves the terminal's settings so they can be restored from a crash signal handler.
void tc_save_termios(void);
/// Restores the terminal with async-signal-safe calls only (tcsetattr, write).
void tc_emergency_restore(void);
/// Installs handlers for SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT and SIGTRAP that restore
/// the terminal, then let the signal kill the process as it would have.
void tc_install_crash_handlers(void);
#endif
