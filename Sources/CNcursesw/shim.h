// Wide-character ncurses for Swift. NCURSES_WIDECHAR enables cchar_t, get_wch, add_wch and
// setcchar without redefining _XOPEN_SOURCE for all of Glibc. Swift 6 cannot read C mutable
// globals or use function-like macros, so they are wrapped here.
#ifndef TERMCHAT_CNCURSESW_SHIM_H
#define TERMCHAT_CNCURSESW_SHIM_H
#define NCURSES_WIDECHAR 1
#include <ncursesw/curses.h>
#include <locale.h>
#include <wchar.h>
#include <poll.h>
#include <unistd.h>

static inline WINDOW *tc_stdscr(void) { return stdscr; }
static inline int tc_lines(void) { return LINES; }
static inline int tc_cols(void) { return COLS; }
static inline int tc_colors(void) { return COLORS; }
static inline int tc_color_pairs(void) { return COLOR_PAIRS; }
static inline attr_t tc_a_normal(void) { return A_NORMAL; }
static inline attr_t tc_a_bold(void) { return A_BOLD; }
static inline attr_t tc_a_dim(void) { return A_DIM; }
static inline attr_t tc_a_reverse(void) { return A_REVERSE; }
static inline attr_t tc_a_underline(void) { return A_UNDERLINE; }
static inline int tc_key_f0(void) { return KEY_F0; }

/// Puts one character (up to 4 scalars: base plus combining marks) at y, x.
static inline int tc_put(int y, int x, const wchar_t *text, attr_t attrs, short pair) {
    cchar_t cell;
    if (setcchar(&cell, text, attrs, pair, NULL) != OK) return ERR;
    return mvwadd_wch(stdscr, y, x, &cell);
}

// From term.h, which also defines macros (lines, columns…) that would clash in Swift.
extern int setupterm(const char *, int, int *);

/// Whether the terminal named by TERM can be drawn on: 0 yes; 1 TERM is unset or has no
/// terminfo entry; 2 it cannot move the cursor (dumb, hardcopy), so a full screen is garbage.
static inline int tc_terminal_check(void) {
    int status = 0;
    if (setupterm(NULL, STDOUT_FILENO, &status) != OK || status != 1) return 1;
    char *move = tigetstr("cup");
    if (move == NULL || move == (char *)-1 || tigetflag("hc") > 0) return 2;
    return 0;
}

/// After endwin(): a terminal without an alternate screen (TERM=linux, vt100) keeps what was
/// drawn, and the shell's prompt would land on the status line; clear it instead.
static inline void tc_clear_without_alternate_screen(void) {
    char *leave = tigetstr("rmcup");
    if (leave != NULL && leave != (char *)-1 && leave[0] != 0) return;
    char *clear = tigetstr("clear");
    if (clear != NULL && clear != (char *)-1) putp(clear);
    fflush(stdout);
}

// Terminal state saved at start, restored from a crash signal handler with only
// async-signal-safe calls (tcsetattr, write).
#endif
