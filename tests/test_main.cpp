// The one Catch2 main shared by every test executable. The tests run with the memory
// policy rfsim runs with (base/freed_memory.h).
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "base/freed_memory.h"

int main(int argc, char* argv[]) {
  rfsim::keep_freed_memory();
  return Catch::Session().run(argc, argv);
}
