// The version of the results.h5 layout (outputs/SCHEMA.md), shared by the writer that stamps
// it into /meta and the reader that checks it.
#pragma once

namespace rfsim::outputs {

/// Version of the layout of results.h5. Bump the minor number when groups, datasets or
/// attributes are added; bump the major number when anything is renamed, removed or
/// changes meaning, dtype or shape (see outputs/SCHEMA.md).
inline constexpr const char* kSchemaVersion = "2.3";
/// /meta@file_type of every results file since schema 2.1: what tells an rfsim results
/// file from any other HDF5 file.
inline constexpr const char* kFileType = "rfsim results";
/// The HDF5 file in a results directory.
inline constexpr const char* kResultsFileName = "results.h5";
/// The MAJOR versions of the files this rfsim reads, each with any MINOR (minors only add).
/// 1.x files differ from 2.x only in where the memory diagnostics are (/summary).
inline constexpr int kOldestReadableMajor = 1;
inline constexpr int kSchemaMajor = 2;

}  // namespace rfsim::outputs
