// Issue 19: every hostile input of the list, and a malicious pickle for every opcode that
// can name or call a global, ends in a named s4scope::Error within 2 s of CPU and 300 MB, without
// running anything (no marker file appears). Each case runs in a child process (hardening_probe)
// so a crash, a hang or a runaway allocation is seen as such and measured (wait4's rusage).
// Inputs come from tests/python/hardening_fixtures.py, written at test time.
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "io/input_limits.h"
#include "s4scope/error.h"
#include "test_support.h"

extern char** environ;

namespace {

struct Outcome {
    int exitCode = -1;        // -signal if killed
    QString output;
    double cpuSeconds = 0;    // user + system
    double wallSeconds = 0;
    double peakMiB = 0;       // ru_maxrss
    bool timedOut = false;
};

// Runs the probe with a wall-clock guard (a hang is killed after `limitSeconds`).
Outcome probe(const QString& kind, const QString& path, double limitSeconds = 20) {
    Outcome o;
    int pipefd[2];
    if (pipe(pipefd) != 0) return o;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipefd[1], 1);
    posix_spawn_file_actions_adddup2(&actions, pipefd[1], 2);
    posix_spawn_file_actions_addclose(&actions, pipefd[0]);
    const QByteArray exe = QByteArrayLiteral(S4SCOPE_HARDENING_PROBE);
    const QByteArray k = kind.toUtf8(), p = path.toUtf8();
    char* argv[] = {const_cast<char*>(exe.constData()), const_cast<char*>(k.constData()),
                    const_cast<char*>(p.constData()), nullptr};
    pid_t pid = 0;
    const auto start = std::chrono::steady_clock::now();
    const int rc = posix_spawn(&pid, exe.constData(), &actions, nullptr, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(pipefd[1]);
    if (rc != 0) {
        ::close(pipefd[0]);
        o.output = "cannot start the probe";
        return o;
    }
    fcntl(pipefd[0], F_SETFL, O_NONBLOCK);
    QByteArray out;
    int status = 0;
    struct rusage usage {};
    for (;;) {
        char buf[4096];
        ssize_t n;
        while ((n = ::read(pipefd[0], buf, sizeof buf)) > 0) out.append(buf, int(n));
        const pid_t done = wait4(pid, &status, WNOHANG, &usage);
        if (done == pid) break;
        const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (elapsed > limitSeconds && !o.timedOut) {
            o.timedOut = true;
            kill(pid, SIGKILL);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    char buf[4096];
    ssize_t n;
    while ((n = ::read(pipefd[0], buf, sizeof buf)) > 0) out.append(buf, int(n));
    ::close(pipefd[0]);
    o.wallSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    o.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
    o.output = QString::fromUtf8(out).trimmed();
    o.cpuSeconds = double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                   1e-6 * double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec);
    o.peakMiB = double(usage.ru_maxrss) / 1024.0;
    return o;
}

QString describe(const Outcome& o) {
    return QStringLiteral("exit %1, %2 s CPU, %3 s wall, %4 MiB peak%5: %6")
        .arg(o.exitCode)
        .arg(o.cpuSeconds, 0, 'f', 2)
        .arg(o.wallSeconds, 0, 'f', 2)
        .arg(o.peakMiB, 0, 'f', 0)
        .arg(o.timedOut ? " (killed: hang)" : "")
        .arg(o.output.left(600));
}

double envDouble(const char* name, double fallback) {
    bool ok = false;
    const double v = qEnvironmentVariable(name).toDouble(&ok);
    return ok && v > 0 ? v : fallback;
}

// Every hostile case must be refused by name, quickly and within a memory budget. (The sanitizer
// stage raises both: ASan's shadow memory and checks inflate them; scripts/sanitize.sh.)
const double kMaxCpuSeconds = envDouble("S4SCOPE_HARDENING_MAX_CPU_S", 2.0);
const double kMaxPeakMiB = envDouble("S4SCOPE_HARDENING_MAX_MIB", 300.0);

}  // namespace

class TestHardening : public QObject {
    Q_OBJECT
    QString dir_;

    QString at(const QString& name) const { return dir_ + "/" + name; }

    void expectRefused(const QString& kind, const QString& path, const QStringList& reasons) {
        const Outcome o = probe(kind, path);
        qInfo("%s %s: %s", qPrintable(kind), qPrintable(QFileInfo(path).fileName()), qPrintable(describe(o).left(160)));
        QVERIFY2(o.exitCode == 3, qPrintable(path + ": " + describe(o)));
        // A model is a pair: the error names whichever of its two files is at fault.
        const QString named = kind == "model" ? QFileInfo(path).absolutePath() : QFileInfo(path).fileName();
        QVERIFY2(o.output.contains(named), qPrintable("the error does not name the file: " + describe(o)));
        for (const QString& r : reasons) QVERIFY2(o.output.contains(r), qPrintable("expected '" + r + "': " + describe(o)));
        QVERIFY2(o.output.size() < 4000, qPrintable("message of " + QString::number(o.output.size()) + " characters"));
        QVERIFY2(o.cpuSeconds < kMaxCpuSeconds && !o.timedOut, qPrintable("too slow: " + describe(o)));
        QVERIFY2(o.peakMiB < kMaxPeakMiB, qPrintable("too much memory: " + describe(o)));
    }

private slots:
    void initTestCase() {
        dir_ = QDir::currentPath() + "/hardening_fixtures";
        const QString script = s4test::sourcePath("tests/python/hardening_fixtures.py");
        const QFileInfo manifest(at("manifest.json"));
        // Written once per build tree (about a minute: 1 GiB zip bombs, 100,000-tensor headers).
        if (!manifest.exists() || manifest.lastModified() < QFileInfo(script).lastModified()) {
            QDir(dir_).removeRecursively();
            QVERIFY(s4test::runPython({script, "make", dir_, s4test::sourcePath("resources/models")}, nullptr, 900000));
        }
        QVERIFY(QFileInfo::exists(at("manifest.json")));
    }

    void hostileInputsAreRefused_data() {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("file");
        QTest::addColumn<QStringList>("reasons");
        QTest::addColumn<QString>("marker");
        QFile f(at("manifest.json"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        for (const QJsonValue& v : QJsonDocument::fromJson(f.readAll()).array()) {
            const QJsonObject c = v.toObject();
            QStringList reasons;
            for (const QJsonValue& r : c["expect"].toArray()) reasons << r.toString();
            QTest::newRow(qPrintable(c["file"].toString()))
                << c["kind"].toString() << c["file"].toString() << reasons << c["marker"].toString();
        }
    }
    void hostileInputsAreRefused() {
        QFETCH(QString, kind);
        QFETCH(QString, file);
        QFETCH(QStringList, reasons);
        QFETCH(QString, marker);
        expectRefused(kind, at(file), reasons);
        if (!marker.isEmpty()) QVERIFY2(!QFileInfo::exists(marker), qPrintable("the payload ran: " + marker));
    }

    // Named pipes with no writer (open() would block forever) and devices, as every kind of input.
    void pipesAndDevicesAreRefused() {
        const QString fifo = at("pipe_no_writer");
        QFile::remove(fifo);
        QCOMPARE(mkfifo(fifo.toUtf8().constData(), 0600), 0);
        expectRefused("checkpoint", fifo, {"named pipe"});
        expectRefused("config", fifo, {"named pipe"});
        expectRefused("audio", fifo, {"named pipe"});
        expectRefused("session", fifo, {"not a regular file"});
        // A model pair whose config (or weights) is a FIFO.
        const QString pairDir = at("fifo_pair");
        QDir().mkpath(pairDir);
        QFile::remove(pairDir + "/m_config.json");
        QFile::remove(pairDir + "/m.pt");
        QCOMPARE(mkfifo((pairDir + "/m_config.json").toUtf8().constData(), 0600), 0);
        QVERIFY(QFile::copy(s4test::sourcePath("resources/models/s4_kws.pt"), pairDir + "/m.pt"));
        expectRefused("model", pairDir + "/m_config.json", {"named pipe"});
        const QString pairDir2 = at("fifo_weights");
        QDir().mkpath(pairDir2);
        QFile::remove(pairDir2 + "/m_config.json");
        QFile::remove(pairDir2 + "/m.pt");
        QVERIFY(QFile::copy(s4test::sourcePath("resources/models/s4_kws_config.json"), pairDir2 + "/m_config.json"));
        QCOMPARE(mkfifo((pairDir2 + "/m.pt").toUtf8().constData(), 0600), 0);
        expectRefused("model", pairDir2 + "/m.pt", {"named pipe"});
        // Devices, directly and through symlinks named like the files they replace.
        expectRefused("config", "/dev/zero", {"character device"});
        expectRefused("checkpoint", "/dev/urandom", {"character device"});
        expectRefused("audio", "/dev/urandom", {"character device"});
        const QString link = at("urandom.wav");
        QFile::remove(link);
        QVERIFY(QFile::link("/dev/urandom", link));
        expectRefused("audio", link, {"character device"});
        expectRefused("checkpoint", "/tmp", {"directory"});
    }

    // The bundled model still loads through the bounded path, well within the same budget.
    void validModelLoadsWithinBudget() {
        const Outcome o = probe("model", s4test::sourcePath("resources/models/s4_kws_config.json"));
        QVERIFY2(o.exitCode == 0, qPrintable(describe(o)));
        QVERIFY2(o.peakMiB < kMaxPeakMiB, qPrintable(describe(o)));
    }

    // The JSON nesting pre-scan itself: linear, no recursion, strings and escapes skipped.
    void nestingPreScan() {
        using s4scope::detail::jsonNestingProblem;
        QVERIFY(jsonNestingProblem(std::string(64, '[') + std::string(64, ']')).empty());
        QVERIFY(!jsonNestingProblem(std::string(65, '[') + std::string(65, ']')).empty());
        QVERIFY(jsonNestingProblem("{\"a\": \"" + std::string(1000, '[') + "\"}").empty());
        QVERIFY(jsonNestingProblem("{\"a\\\"[[[\": 1}").empty());
        QVERIFY(!jsonNestingProblem(std::string(1000000, '{')).empty());
    }
};

QTEST_GUILESS_MAIN(TestHardening)
#include "test_hardening.moc"
