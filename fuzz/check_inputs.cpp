// fuzz_check FILE|DIR...: runs every file given (and every file in the folders given, in
// name order) through the fuzz oracle (oracle.h), as the libFuzzer target would, but in
// any build: CTest runs the regression inputs and the committed corpus with it. Prints
// each finding with its file; exits 1 if there was any, 2 on a usage or read error.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "fuzz/oracle.h"

namespace fs = std::filesystem;

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: fuzz_check FILE|DIR...\n";
    return 2;
  }
  std::vector<fs::path> files;
  for (int i = 1; i < argc; ++i) {
    const fs::path arg = argv[i];
    if (fs::is_directory(arg)) {
      std::vector<fs::path> inside;
      for (const auto& entry : fs::directory_iterator(arg))
        if (entry.is_regular_file()) inside.push_back(entry.path());
      std::sort(inside.begin(), inside.end());
      files.insert(files.end(), inside.begin(), inside.end());
    } else if (fs::is_regular_file(arg)) {
      files.push_back(arg);
    } else {
      std::cerr << "fuzz_check: " << arg.string() << ": no such file or folder\n";
      return 2;
    }
  }
  int findings = 0;
  for (const fs::path& file : files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      std::cerr << "fuzz_check: " << file.string() << ": cannot read\n";
      return 2;
    }
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string finding = rfsim::fuzz::check_scenario_input(text);
    if (finding.empty()) continue;
    ++findings;
    std::cout << "FINDING " << file.string() << ": " << finding << "\n";
  }
  std::cout << "fuzz_check: " << files.size() << " input(s), " << findings << " finding(s)\n";
  return findings == 0 ? 0 : 1;
}
