// A real single-node SLURM cluster (Debian's slurm-wlm and munge): the test starts munged,
// slurmctld and slurmd on localhost with their state in a temporary folder, submits
// packaging/slurm/explain-array.sbatch as a 4-task job array over 40 clips, waits, merges the
// shards and checks the result equals one process doing the whole. Everything it started is
// stopped again, also when a check fails. Needs root (slurmd launches jobs as their user).
#include <QtTest>

#include <QElapsedTimer>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThread>

#include <csignal>
#include <unistd.h>

#include "cli_test_support.h"

using namespace clitest;

namespace {

struct Cluster {
    QString dir;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    qint64 mungePid = 0;
    bool slurmStarted = false;

    QString path(const QString& name) const { return dir + "/" + name; }

    // Runs a program to its end; returns its exit code (-1 when it did not finish), output in `out`.
    int run(const QString& program, const QStringList& args, QString* out = nullptr, int timeoutMs = 60000) const {
        QProcess p;
        p.setProcessEnvironment(env);
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(program, args);
        if (!p.waitForFinished(timeoutMs)) {
            p.kill();
            p.waitForFinished();
            if (out) *out = QString::fromUtf8(p.readAll()) + "\n(timed out)";
            return -1;
        }
        if (out) *out = QString::fromUtf8(p.readAll());
        return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    }

    QString log(const QString& name) const { return QString::fromUtf8(fileBytes(path(name))).right(3000); }

    ~Cluster() {
        if (slurmStarted) {
            run("scontrol", {"shutdown"}, nullptr, 30000);
            for (const char* pidFile : {"slurmd.pid", "slurmctld.pid"}) {
                const qint64 pid = fileBytes(path(pidFile)).trimmed().toLongLong();
                for (int i = 0; pid > 0 && i < 100 && ::kill(pid_t(pid), 0) == 0; ++i) QThread::msleep(100);
                if (pid > 0 && ::kill(pid_t(pid), 0) == 0) ::kill(pid_t(pid), SIGKILL);
            }
        }
        // munged writes its seed file as it stops: wait for it, so the folder can be removed after.
        const qint64 munge = fileBytes(path("munged.pid")).trimmed().toLongLong();
        if (munge > 0 && ::kill(pid_t(munge), SIGTERM) == 0)
            for (int i = 0; i < 100 && ::kill(pid_t(munge), 0) == 0; ++i) QThread::msleep(50);
    }
};

QString slurmConf(const Cluster& c, const QString& host, int port) {
    return QStringLiteral(
               "ClusterName=s4scopetest\n"
               "SlurmctldHost=%1(127.0.0.1)\n"
               "AuthType=auth/munge\nCredType=cred/munge\nAuthInfo=socket=%2/munge.sock\n"
               "SlurmUser=root\nSlurmdUser=root\n"
               "SlurmctldPort=%3\nSlurmdPort=%4\n"
               "StateSaveLocation=%2/state\nSlurmdSpoolDir=%2/spool\n"
               "SlurmctldPidFile=%2/slurmctld.pid\nSlurmdPidFile=%2/slurmd.pid\n"
               "SlurmctldLogFile=%2/slurmctld.log\nSlurmdLogFile=%2/slurmd.log\n"
               "ProctrackType=proctrack/linuxproc\nTaskPlugin=task/none\n"
               "SchedulerType=sched/backfill\nSelectType=select/cons_tres\nSelectTypeParameters=CR_Core\n"
               "ReturnToService=2\nMpiDefault=none\nJobCompType=jobcomp/none\n"
               "AccountingStorageType=accounting_storage/none\nJobAcctGatherType=jobacct_gather/none\n"
               "NodeName=%1 NodeAddr=127.0.0.1 CPUs=%5 RealMemory=1000 State=UNKNOWN\n"
               "PartitionName=debug Nodes=%1 Default=YES MaxTime=INFINITE State=UP\n")
        .arg(host, c.dir)
        .arg(port)
        .arg(port + 1)
        .arg(QThread::idealThreadCount());
}

}  // namespace

class TestCliSlurm : public QObject {
    Q_OBJECT

private slots:
    void jobArrayEqualsOneProcess() {
        for (const char* tool : {"munged", "slurmctld", "slurmd", "sbatch", "scontrol", "sinfo"})
            if (QStandardPaths::findExecutable(tool, {"/usr/sbin", "/usr/bin", "/sbin", "/bin"}).isEmpty())
                QSKIP(qPrintable(QString("%1 is not installed (scripts/setup.sh installs slurm-wlm and munge)").arg(tool)));
        if (geteuid() != 0) QSKIP("a local SLURM needs root (slurmd runs jobs as their user)");

        QTemporaryDir tmp("/tmp/s4scope-slurm-XXXXXX");  // short: munge's socket path has a length limit
        Cluster c;
        c.dir = tmp.path();
        for (const char* sub : {"state", "spool", "work"}) QDir().mkpath(c.path(sub));
        QString out;

        // munge: a fresh key, its own socket; --force as its key and folders are root's own here.
        QFile key(c.path("munge.key"));
        QVERIFY(key.open(QIODevice::WriteOnly));
        QFile random("/dev/urandom");
        QVERIFY(random.open(QIODevice::ReadOnly));
        key.write(random.read(1024));
        key.close();
        key.setPermissions(QFile::ReadOwner);
        QVERIFY2(c.run("/usr/sbin/munged", {"--force", "--key-file=" + c.path("munge.key"), "--socket=" + c.path("munge.sock"),
                                             "--pid-file=" + c.path("munged.pid"), "--log-file=" + c.path("munged.log"),
                                             "--seed-file=" + c.path("munge.seed")}, &out) == 0,
                 qPrintable(out + c.log("munged.log")));

        // slurmctld and slurmd on localhost, ports away from a system SLURM's.
        QString host;
        QVERIFY(c.run("hostname", {"-s"}, &host) == 0);
        host = host.trimmed();
        const int port = 20000 + int(getpid() % 20000);
        QFile conf(c.path("slurm.conf"));
        QVERIFY(conf.open(QIODevice::WriteOnly));
        conf.write(slurmConf(c, host, port).toUtf8());
        conf.close();
        c.env.insert("SLURM_CONF", c.path("slurm.conf"));
        c.slurmStarted = true;
        QVERIFY2(c.run("slurmctld", {"-f", c.path("slurm.conf"), "-i"}, &out) == 0, qPrintable(out + c.log("slurmctld.log")));
        QVERIFY2(c.run("slurmd", {"-f", c.path("slurm.conf")}, &out) == 0, qPrintable(out + c.log("slurmd.log")));
        QElapsedTimer waited;
        waited.start();
        QString state;
        while (waited.elapsed() < 60000) {
            c.run("sinfo", {"-h", "-o", "%t"}, &state);
            if (state.trimmed() == "idle") break;
            QThread::msleep(300);
        }
        QVERIFY2(state.trimmed() == "idle", qPrintable("node state '" + state + "'\n" + c.log("slurmctld.log") + c.log("slurmd.log")));

        // 40 clips, a 4-task array with one core per task.
        const QStringList clips = makeClips(c.path("data"), 40);
        QFile list(c.path("clips.txt"));
        QVERIFY(list.open(QIODevice::WriteOnly));
        list.write(clips.join('\n').toUtf8() + "\n");
        list.close();
        c.env.insert("S4SCOPE_CLI", S4SCOPE_CLI);
        c.env.insert("S4SCOPE_OUT", c.path("out"));
        const QStringList explain = {"@" + c.path("clips.txt"), "--method", "lrp_epsilon", "--method", "gradient"};
        const int submitted = c.run("sbatch", QStringList{"--wait", "--array=1-4", "--cpus-per-task=1", "--chdir=" + c.path("work"),
                                                          S4SCOPE_SOURCE_DIR "/packaging/slurm/explain-array.sbatch"} + explain,
                                    &out, 600000);
        QString logs;
        for (const QString& f : QDir(c.path("work")).entryList({"*.log"})) logs += f + ":\n" + QString::fromUtf8(fileBytes(c.path("work/" + f)));
        QVERIFY2(submitted == 0, qPrintable(out + logs + c.log("slurmctld.log")));
        QStringList shards;
        int total = 0;
        for (int k = 1; k <= 4; ++k) {
            const QString folder = c.path(QString("out/shard-%1-of-4").arg(k));
            const int lines = int(readIndex(folder + "/index.jsonl").size());
            QVERIFY2(lines > 0, qPrintable(folder + "\n" + logs));
            total += lines;
            shards << folder;
        }
        QCOMPARE(total, 80);
        QVERIFY2(logs.contains("model: ") && logs.contains("(the bundled model)"), qPrintable(logs));

        const Run merged = runCli(QStringList{"merge"} + shards + QStringList{"-O", c.path("merged")});
        QVERIFY2(merged.exitCode == 0, qPrintable(merged.err));
        const Run whole = runCli(QStringList{"explain"} + explain + QStringList{"-q", "-O", c.path("whole")});
        QVERIFY2(whole.exitCode == 0, qPrintable(whole.err));
        QCOMPARE(comparableIndex(c.path("merged/index.jsonl")), comparableIndex(c.path("whole/index.jsonl")));
        QString why;
        QVERIFY2(sameOutputs(c.path("whole"), c.path("merged"), &why), qPrintable(why));
    }
};

QTEST_GUILESS_MAIN(TestCliSlurm)
#include "test_cli_slurm.moc"
