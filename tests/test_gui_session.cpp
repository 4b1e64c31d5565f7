// Session files: what one window saves, a fresh window reopens — clip, model, method, parameters,
// target, compared methods and comparison options — and saves again identically.
#include <QCheckBox>
#include <QFile>

#include "app/method_panel.h"
#include "gui_test_support.h"
#include "views/comparison_plot.h"

using s4scope::app::Explorer;
using s4scope::app::MainWindow;
using s4scope::app::Session;

class TestGuiSession : public QObject {
    Q_OBJECT
    QTemporaryDir settingsDir_;
    QTemporaryDir files_;

private slots:
    void initTestCase() { guitest::isolateSettings(settingsDir_); }

    void jsonRoundTrip() {
        Session s;
        s.audioPath = files_.filePath("clips/a.wav");
        s.offsetSeconds = 0.25;
        s.modelPath = "/elsewhere/model_config.json";
        s.method = "lrp_gamma";
        s.target = 2;
        s.params["lrp_gamma"] = {{"gamma", 0.5}};
        s.comparedMethods = {"gradient", "lrp_z"};
        s.sharedScale = false;
        s.correlation = "spearman";
        const QString path = files_.filePath("s.s4session");
        s.save(path);
        QVERIFY(Session::load(path) == s);
        QFile f(path);
        f.open(QIODevice::ReadOnly);
        QVERIFY(f.readAll().contains("\"clips/a.wav\""));  // beside the session: stored relative
    }

    void brokenSessionIsAnError() {
        const QString path = files_.filePath("broken.s4session");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"format\": \"something else\"}");
        f.close();
        bool refused = false;
        try {
            Session::load(path);
        } catch (const s4scope::Error& e) {
            refused = QString(e.what()).contains("broken.s4session");
        }
        QVERIFY(refused);
    }

    void windowRoundTrip() {
        const QString first = files_.filePath("first.s4session"), second = files_.filePath("second.s4session");
        Session saved;
        {
            MainWindow w;
            w.show();
            QVERIFY(guitest::waitForModel(w));
            QVERIFY(guitest::openClip(w, guitest::clipPath("left")));
            auto* panel = w.methodPanel();
            panel->setParams("lrp_gamma", {{"gamma", 0.5}});
            panel->setParams("occlusion", {{"window", 400}, {"stride", 200}, {"baseline", 0}});
            panel->setCurrentMethod("lrp_gamma");
            panel->setTarget(3);
            panel->setComparedMethods({"gradient", "occlusion", "lrp_z"});
            w.findChild<QCheckBox*>("sharedScaleCheck")->setChecked(true);
            QVERIFY(w.saveSession(first));
            saved = w.currentSession();
            QVERIFY(guitest::waitForIdle(w));
        }
        MainWindow reopened;
        reopened.show();
        QSignalSpy compared(reopened.explorer(), &Explorer::comparisonReady);
        reopened.openSession(first);
        QVERIFY(compared.wait(60000));
        QVERIFY(guitest::waitForIdle(reopened));
        QVERIFY(reopened.currentSession() == saved);
        QCOMPARE(reopened.explorer()->clip().path, guitest::clipPath("left"));
        QCOMPARE(reopened.explorer()->explanation()->method, std::string("lrp_gamma"));
        QCOMPARE(reopened.explorer()->explanation()->params.at("gamma"), 0.5);
        QCOMPARE(reopened.explorer()->explanation()->target, int64_t(3));
        QCOMPARE(int(reopened.explorer()->comparison().size()), 3);
        QCOMPARE(reopened.explorer()->comparison()[1].params.at("window"), 400.0);

        QVERIFY(reopened.saveSession(second));
        QFile a(first), b(second);
        QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
        QCOMPARE(b.readAll(), a.readAll());
    }

    void sessionWithAMissingClipIsAnErrorDialog() {
        Session s;
        s.audioPath = files_.filePath("gone.wav");
        s.method = "gradient";
        const QString path = files_.filePath("gone.s4session");
        s.save(path);
        MainWindow w;
        w.show();
        QVERIFY(guitest::waitForModel(w));
        w.openSession(path);
        QTRY_VERIFY_WITH_TIMEOUT(guitest::errorDialog(w), 30000);
        QVERIFY(guitest::errorDialog(w)->text().contains("gone.wav"));
        guitest::closeDialog(guitest::errorDialog(w));
        QVERIFY(guitest::waitForIdle(w));
    }
};

QTEST_MAIN(TestGuiSession)
#include "test_gui_session.moc"
