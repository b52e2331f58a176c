// The one error outputs/ reports: a results directory or file that cannot be written or
// read. Its what() is a single line that names the path and what failed, ready for
// `rfsim: error: ...`.
#pragma once

#include <stdexcept>

namespace rfsim::outputs {

/// Any failure to write or read a results directory; `what()` names the path.
struct OutputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace rfsim::outputs
