// Prints the declared day as README's "The model" shows it (between the day-schedule
// markers); tests/sim checks the README against the same text.
#include <iostream>

#include "sim/schedule.h"

int main() {
  std::cout << rfsim::sim::describe_day(rfsim::sim::day_schedule());
  return 0;
}
