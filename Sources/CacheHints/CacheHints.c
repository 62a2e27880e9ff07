// CacheHints is header-only (include/CacheHints.h); SwiftPM needs one source file to build a C target.
#include "CacheHints.h"
