/* The main() every Check suite shares. Check forks a process per test, which is also what SimGrid needs
 * (one simulation per process): don't run the suites with CK_FORK=no. */
#ifndef FTPSIM_CHECK_MAIN_H
#define FTPSIM_CHECK_MAIN_H

#include <check.h>

/* Runs the suite make_suite builds, prints Check's report, and returns the exit status: 0 when every
 * test passed, 1 otherwise. A test file's main is then: int main(void) { return check_main(suite); } */
int check_main(Suite *(*make_suite)(void));

#endif
