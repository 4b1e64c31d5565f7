// A deliberate data race, built and run by scripts/tsan.sh with the same flags and options as the
// suite: ThreadSanitizer must report it. Without this, a stage whose options or suppressions hid
// every report would pass as "zero reports".
#include <cstdio>
#include <thread>

namespace {
long counter = 0;  // written by two threads with no synchronisation: the race
void bump() {
    for (int i = 0; i < 100000; ++i) counter = counter + 1;
}
}  // namespace

int main() {
    std::thread a(bump), b(bump);
    a.join();
    b.join();
    std::printf("counter %ld\n", counter);
    return 0;
}
