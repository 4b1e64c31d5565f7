// Up-front checks shared by the readers (see input_limits.h).
#include "io/input_limits.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "s4scope/error.h"

namespace s4scope::detail {
namespace {

[[noreturn]] void fail(const std::string& what, const std::string& path, const std::string& reason) {
    throw Error(what + " '" + path + "': " + reason);
}

const char* kindOf(mode_t mode) {
    if (S_ISDIR(mode)) return "is a directory, not a file";
    if (S_ISFIFO(mode)) return "is a named pipe (FIFO), not a regular file; reading it could block forever";
    if (S_ISCHR(mode)) return "is a character device (like /dev/zero), not a regular file";
    if (S_ISBLK(mode)) return "is a block device, not a regular file";
    if (S_ISSOCK(mode)) return "is a socket, not a regular file";
    return "is not a regular file";
}

}  // namespace

std::string notRegularFileReason(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        const int err = errno;
        if (err == ENOENT) return "does not exist";
        return std::string("cannot be read: ") + std::strerror(err);
    }
    return S_ISREG(st.st_mode) ? std::string() : std::string(kindOf(st.st_mode));
}

void requireRegularFile(const std::string& path, const std::string& what) {
    const std::string reason = notRegularFileReason(path);
    if (!reason.empty()) fail(what, path, reason);
}

std::string readSmallFile(const std::string& path, const std::string& what, uint64_t maxBytes) {
    requireRegularFile(path, what);
    // O_NONBLOCK: if the path was swapped for a FIFO after the check, open() must not hang.
    const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) fail(what, path, std::string("cannot be opened: ") + std::strerror(errno));
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) fail(what, path, kindOf(st.st_mode));
    if (uint64_t(st.st_size) > maxBytes)
        fail(what, path, "is " + std::to_string(st.st_size) + " bytes, more than the limit of " +
                             std::to_string(maxBytes) + " bytes for this kind of file");
    std::string text(size_t(st.st_size), '\0');
    size_t got = 0;
    for (;;) {
        if (got == text.size()) {
            if (text.size() > maxBytes) fail(what, path, "grew past the limit of " + std::to_string(maxBytes) + " bytes while being read");
            text.resize(text.size() + 4096);
        }
        const ssize_t n = ::read(fd, &text[got], text.size() - got);
        if (n < 0) {
            if (errno == EINTR) continue;
            fail(what, path, std::string("read failed: ") + std::strerror(errno));
        }
        if (n == 0) break;
        got += size_t(n);
    }
    text.resize(got);
    if (got > maxBytes) fail(what, path, "grew past the limit of " + std::to_string(maxBytes) + " bytes while being read");
    return text;
}

std::string jsonNestingProblem(const std::string& text, int maxDepth) {
    int depth = 0;
    bool inString = false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            if (c == '\\') ++i;  // skip the escaped character (a quote or backslash)
            else if (c == '"') inString = false;
            continue;
        }
        if (c == '"') {
            inString = true;
        } else if (c == '[' || c == '{') {
            if (++depth > maxDepth)
                return "JSON nested deeper than " + std::to_string(maxDepth) + " levels (at byte " + std::to_string(i) + ")";
        } else if (c == ']' || c == '}') {
            --depth;  // unbalanced text is left for the parser to report
        }
    }
    return {};
}

std::string abbreviated(const std::string& text, size_t maxChars) {
    if (text.size() <= maxChars) return text;
    return text.substr(0, maxChars) + "... (" + std::to_string(text.size()) + " characters)";
}

}  // namespace s4scope::detail
