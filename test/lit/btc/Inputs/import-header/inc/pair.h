// A header the tests import: each kind of declaration it can give a script.
#ifndef BTC_TEST_PAIR_H
#define BTC_TEST_PAIR_H
#define PAIR_LIMIT 42
enum shade { DARK = 3, LIGHT = 9 };
typedef unsigned short half_t;
struct pair { int a; long b; };
#endif
