// s4scope's command line: what a file manager's "Open with" (the desktop entry's Exec=s4scope %f)
// passes must open the right thing: a clip as a clip, a .s4session as a session.
#include <QtTest>

#include "app/startup_options.h"

using s4scope::app::parseStartupOptions;

class TestStartupOptions : public QObject {
    Q_OBJECT
private slots:
    void clipAsPositionalArgumentOpensTheClip() {
        const auto o = parseStartupOptions({"s4scope", "/data/clips/yes.wav"});
        QCOMPARE(o.audio, QStringLiteral("/data/clips/yes.wav"));
        QVERIFY(o.session.isEmpty());
    }
    void sessionAsPositionalArgumentOpensTheSession() {
        for (const QString path : {QStringLiteral("/data/my.s4session"), QStringLiteral("/data/OLD.S4SESSION")}) {
            const auto o = parseStartupOptions({"s4scope", path});
            QCOMPARE(o.session, path);
            QVERIFY(o.audio.isEmpty());
        }
    }
    void sessionOptionWinsOverAPositionalClip() {
        const auto o = parseStartupOptions({"s4scope", "--session", "/data/a.s4session", "/data/no.wav"});
        QCOMPARE(o.session, QStringLiteral("/data/a.s4session"));
        QCOMPARE(o.audio, QStringLiteral("/data/no.wav"));
    }
    // Qt's QGuiApplication eats "--session ID": it is taken out of argv before the application exists.
    void sessionArgumentIsTakenBeforeQtSeesIt() {
        for (const QList<QByteArray>& line : {QList<QByteArray>{"s4scope", "--session", "/d/a.s4session", "--dark"},
                                             QList<QByteArray>{"s4scope", "--dark", "--session=/d/a.s4session"}}) {
            QList<QByteArray> storage = line;
            std::vector<char*> argv;
            for (QByteArray& a : storage) argv.push_back(a.data());
            argv.push_back(nullptr);
            int argc = int(line.size());
            QCOMPARE(s4scope::app::takeSessionArgument(argc, argv.data()), QStringLiteral("/d/a.s4session"));
            QCOMPARE(argc, 2);
            QCOMPARE(QByteArray(argv[1]), QByteArray("--dark"));
            QVERIFY(argv[2] == nullptr);
        }
    }
};

QTEST_GUILESS_MAIN(TestStartupOptions)
#include "test_startup_options.moc"
