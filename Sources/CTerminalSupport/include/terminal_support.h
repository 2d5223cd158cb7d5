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
/// Ends the process `milliseconds` from now (terminal restored, exit status 0) unless it has
/// ended by then: quitting finishes in bounded time whatever is stuck. Everything the user
/// typed is already in SQLite, so nothing is lost. Arming it again does nothing.
void tc_arm_quit_watchdog(int milliseconds);
/// Runs `/bin/sh -c 'COMMAND "$1"' sh FILE` in the foreground of the terminal: in our own
/// process group (which owns the terminal), with default signal handling and no blocked
/// signals, and waits for it. Curses must be left first. Answers its exit status, or -1.
int tc_run_in_foreground(const char *command, const char *file);
/// Makes SIGWINCH also write one byte to `fd`, after the handler already installed (ncurses'
/// own) has run: the signal may land on any thread, and the terminal thread sleeping in poll()
/// must wake to redraw at once.
void tc_install_resize_wakeup(int fd);
/// Measures the columns the terminal gives each of `count` UTF-8 `samples`: writes each at the
/// start of the line and asks where the cursor went (CSI 6 n), then clears the line. Must run
/// before curses starts, with standard input and output on the terminal. `widths[i]` is -1
/// when unknown; the first sample the terminal leaves unanswered for `timeout_ms` ends it.
void tc_measure_widths(const char *const *samples, int count, int *widths, int timeout_ms);
/// Stops the process as the terminal's suspend character would (SIGTSTP with its default
/// action, whatever handler curses installed), and returns once it is continued (`fg`). Where
/// no job-control shell could continue it (an orphaned group, e.g. straight under tmux), the
/// kernel discards the signal and this returns at once.
void tc_stop_process(void);
/// Takes the keys typed while `tc_measure_widths` waited for answers (they came with them),
/// up to `capacity` bytes, in order; answers how many.
int tc_take_typed_ahead(unsigned char *buffer, int capacity);
/// Writes all of `length` bytes to standard output (for sequences curses cannot draw).
void tc_write_out(const char *bytes, long length);
/// The C library's width of a scalar in the current locale (what curses assumes), -1 if unprintable.
int tc_wcwidth(unsigned int scalar);
#endif
