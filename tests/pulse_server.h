#pragma once
// A private PulseAudio daemon for the live-mode suites (test_gui_live, test_soak): a null sink
// `s4test` and a source `s4mic` remapped from its monitor, reachable only from this process and
// its children (paplay, pactl). Start it before the QApplication exists.
#include <QApplication>
#include <QAudioDevice>
#include <QElapsedTimer>
#include <QFile>
#include <QMediaDevices>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <thread>

#include <sys/types.h>
#include <unistd.h>

#include "s4scope/runtime.h"

namespace {

// A private PulseAudio daemon for this process and its children (paplay, pactl).
class PulseServer {
public:
    bool start() {
        if (!dir_.isValid()) return fail(QStringLiteral("cannot create a temporary folder"));
        if (std::system("command -v pulseaudio >/dev/null 2>&1") != 0)
            return fail(QStringLiteral("pulseaudio is not installed (scripts/setup.sh installs it)"));
        const QString root = dir_.path();
        QFile config(root + QStringLiteral("/s4test.pa"));
        if (!config.open(QIODevice::WriteOnly)) return fail(QStringLiteral("cannot write the daemon's configuration"));
        config.write(QStringLiteral("load-module module-native-protocol-unix socket=%1/native auth-anonymous=1\n"
                                    "load-module module-null-sink sink_name=s4test rate=48000\n"
                                    "load-module module-remap-source master=s4test.monitor source_name=s4mic\n"
                                    "set-default-sink s4test\nset-default-source s4mic\n")
                         .arg(root).toUtf8());
        config.close();
        for (const char* name : {"XDG_RUNTIME_DIR", "PULSE_RUNTIME_PATH", "PULSE_STATE_PATH"}) qputenv(name, root.toUtf8());
        qputenv("PULSE_SERVER", ("unix:" + root + "/native").toUtf8());
        qputenv("PULSE_COOKIE", (root + "/cookie").toUtf8());
        // --system=false and a HOME of its own: as root the daemon otherwise refuses or writes to /root.
        // Qt stays connected while the suite runs; should the suite die, the server exits 20 s later.
        const QString command = QStringLiteral("HOME='%1' pulseaudio --daemonize=yes --system=false --disallow-exit "
                                               "--exit-idle-time=20 -n --disable-shm=yes --use-pid-file=yes -F '%1/s4test.pa' "
                                               "--log-target=file:'%1/pulse.log' --log-level=notice")
                                    .arg(root);
        const int rc = std::system(command.toLocal8Bit().constData());
        QFile pidFile(root + QStringLiteral("/pid"));
        for (int i = 0; i < 100 && !(pidFile.exists() && QFile::exists(root + QStringLiteral("/native"))); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        if (pidFile.open(QIODevice::ReadOnly)) pid_ = pidFile.readAll().trimmed().toInt();
        if (rc != 0 || pid_ <= 0 || !QFile::exists(root + QStringLiteral("/native"))) {
            QFile log(root + QStringLiteral("/pulse.log"));
            log.open(QIODevice::ReadOnly);
            return fail(QStringLiteral("the PulseAudio daemon did not start (exit %1): %2").arg(rc).arg(QString::fromLocal8Bit(log.readAll().right(600))));
        }
        return true;
    }
    void stop() {
        if (pid_ > 0) ::kill(pid_t(pid_), SIGTERM);
        for (int i = 0; i < 40 && pid_ > 0 && ::kill(pid_t(pid_), 0) == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
        pid_ = 0;
    }
    bool running() const { return pid_ > 0; }
    QString error() const { return error_; }
    QString path() const { return dir_.path(); }

private:
    bool fail(const QString& why) {
        error_ = why;
        return false;
    }
    QTemporaryDir dir_;
    int pid_ = 0;
    QString error_;
};

inline QString pactl(const QStringList& args) {
    QProcess p;
    p.start(QStringLiteral("pactl"), args);
    p.waitForFinished(10000);
    return QString::fromLocal8Bit(p.readAllStandardOutput() + p.readAllStandardError()).trimmed();
}

inline QAudioDevice findInput(const QString& id) {
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < 5000) {
        for (const QAudioDevice& d : QMediaDevices::audioInputs())
            if (d.id() == id.toUtf8()) return d;
        QTest::qWait(50);
    }
    return {};
}

// A suite's main: the server must exist, and PULSE_SERVER point at it, before Qt Multimedia first
// looks for devices, so it starts before QApplication (QTEST_MAIN would create that first).
template <class Suite>
int runWithPulseServer(int argc, char** argv, PulseServer*& global) {
    s4scope::preferPassiveOpenMP(argv);
    PulseServer server;
    global = &server;
    server.start();
    int rc = 0;
    {
        QApplication app(argc, argv);
        Suite suite;
        rc = QTest::qExec(&suite, argc, argv);
    }
    server.stop();
    return rc;
}

}  // namespace
