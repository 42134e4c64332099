/* Hello, plus fib(90) in decimal; exits with 42. */
#include "sys.h"

static u64 fib(u64 n) {
  u64 a = 0, b = 1;
  while (n--) {
    u64 t = a + b;
    a = b;
    b = t;
  }
  return a;
}

int main(void) {
  put_str("hello from a64\n");
  put_kv("fib(90)", fib(90));
  return 42;
}
