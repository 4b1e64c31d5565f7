// Anchor for the test suites' shared precompiled header (tests/CMakeLists.txt).
