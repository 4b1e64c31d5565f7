// The Evaluate tab of the real main window (issue 18): its table, curves and per-layer plot show
// the engine's evaluateClip for the same clip, methods and options; the word's interval comes from
// the clip's sidecar, is marked by a drag on the tab's waveform (and by Ctrl+drag on the explanation
// view, while a plain drag there still pans), is used by localisation and round-trips through a
// session; the export writes those numbers as CSV and JSON and the figures as images.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QTabWidget>
#include <QTableWidget>

#include "app/evaluate_panel.h"
#include "app/method_panel.h"
#include "app/session.h"
#include "gui_test_support.h"
#include "s4scope/evaluation.h"
#include "s4scope/evaluation_metrics.h"
#include "views/conservation_plot.h"
#include "views/evaluation_plot.h"
#include "views/explanation_plot.h"
#include "views/interval_marker.h"
#include "views/word_strip.h"

using s4scope::app::EvaluatePanel;
using s4scope::app::MainWindow;
namespace ev = s4scope::evaluation;

namespace {

// The pixel column of clip time `seconds` on `plot`'s first row, and the time that column maps back to.
int columnOf(s4scope::views::TimeLinkedPlot& plot, double seconds) {
    return int(std::lround(plot.rowRect(0)->axis(QCPAxis::atBottom)->coordToPixel(seconds)));
}
int64_t sampleAtColumn(s4scope::views::TimeLinkedPlot& plot, int x, int sampleRate) {
    return std::llround(plot.rowRect(0)->axis(QCPAxis::atBottom)->pixelToCoord(x) * sampleRate);
}

void drag(QWidget* widget, QPoint from, QPoint to, Qt::KeyboardModifiers keys) {
    QTest::mousePress(widget, Qt::LeftButton, keys, from);
    QTest::mouseMove(widget, (from + to) / 2);
    QTest::mouseMove(widget, to);
    QTest::mouseRelease(widget, Qt::LeftButton, keys, to);
}

bool sameNumber(double a, double b, double tolerance = 1e-9) {
    if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
    return std::abs(a - b) <= tolerance * std::max(1.0, std::abs(b));
}

}  // namespace

class TestGuiEvaluate : public QObject {
    Q_OBJECT
    QTemporaryDir settingsDir_, out_;
    std::unique_ptr<MainWindow> window_;
    std::optional<ev::ClipEvaluation> engine_;
    const QStringList methods_{QStringLiteral("gradient"), QStringLiteral("lrp_epsilon")};

    EvaluatePanel& panel() { return *window_->evaluatePanel(); }
    QTabWidget* tabs() { return window_->findChild<QTabWidget*>(QStringLiteral("viewTabs")); }

    bool evaluateAndWait() {
        QSignalSpy ready(&panel(), &EvaluatePanel::ready);
        if (!panel().evaluate()) return false;
        return ready.wait(240000);
    }

private slots:
    void initTestCase() {
        window_ = guitest::shownWindow(settingsDir_);
        QVERIFY(guitest::waitForModel(*window_));
        QVERIFY(guitest::openClip(*window_, guitest::clipPath("yes")));
        QVERIFY(window_->evaluatePanel());
    }

    // The bundled clip's sidecar gives the interval as soon as the clip is open.
    void intervalComesFromTheSidecar() {
        const auto sidecar = ev::readWordInterval(guitest::clipPath("yes").toStdString());
        QVERIFY(sidecar);
        QVERIFY(panel().wordInterval());
        QCOMPARE(panel().wordInterval()->start, sidecar->start);
        QCOMPARE(panel().wordInterval()->end, sidecar->end);
        QVERIFY2(panel().wordLabel()->text().contains("yes.word.json"), qPrintable(panel().wordLabel()->text()));
    }

    // On the explanation view a plain drag pans and leaves the interval alone; Ctrl+drag marks it.
    void ctrlDragOnTheExplanationViewMarks() {
        tabs()->setCurrentIndex(0);
        auto* plot = window_->explanationPlot();
        QTest::qWait(50);
        plot->replot();
        const auto before = *panel().wordInterval();
        const int rate = window_->explorer()->clip().sampleRate;
        const int y = plot->rowRect(0)->center().y();
        const int a = columnOf(*plot, 0.20), b = columnOf(*plot, 0.45);
        drag(plot, {a, y}, {b, y}, Qt::NoModifier);
        QCOMPARE(panel().wordInterval()->start, before.start);
        QCOMPARE(panel().wordInterval()->end, before.end);
        plot->resetZoom();
        plot->replot();
        const int a2 = columnOf(*plot, 0.20), b2 = columnOf(*plot, 0.45);
        QSignalSpy changed(&panel(), &EvaluatePanel::wordIntervalChanged);
        drag(plot, {a2, y}, {b2, y}, Qt::ControlModifier);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(panel().wordInterval()->start, sampleAtColumn(*plot, a2, rate));
        QCOMPARE(panel().wordInterval()->end, sampleAtColumn(*plot, b2, rate));
        QCOMPARE(plot->timeRange().lower, 0.0);  // marking did not pan
    }

    // On the tab's own waveform a plain drag marks (right to left too).
    void dragOnTheWordStripMarks() {
        tabs()->setCurrentWidget(&panel());
        auto* strip = panel().wordStrip();
        QTest::qWait(50);
        strip->replot();
        const int rate = window_->explorer()->clip().sampleRate;
        const int y = strip->rowRect(0)->center().y();
        const int a = columnOf(*strip, 0.30), b = columnOf(*strip, 0.62);
        drag(strip, {b, y}, {a, y}, Qt::NoModifier);
        QVERIFY(panel().wordInterval());
        QCOMPARE(panel().wordInterval()->start, sampleAtColumn(*strip, a, rate));
        QCOMPARE(panel().wordInterval()->end, sampleAtColumn(*strip, b, rate));
        QVERIFY(std::abs(panel().wordInterval()->start - 0.30 * rate) < 0.01 * rate);
        QVERIFY(panel().wordLabel()->text().contains("marked"));
        // The explanation view shows the same band.
        const auto shown = strip->marker()->interval();
        QVERIFY(shown);
        QVERIFY(std::abs(shown->first - double(panel().wordInterval()->start) / rate) < 1e-12);
    }

    // The tab's numbers, curves and per-layer totals are the engine's for the same inputs.
    void numbersAndCurvesAreTheEngines() {
        window_->methodPanel()->setComparedMethods(methods_);
        panel().setRandomOrders(3);
        QVERIFY(evaluateAndWait());
        const auto& shown = panel().result();
        QVERIFY(shown);
        QVERIFY(shown->options.word);
        QCOMPARE(shown->options.word->start, panel().wordInterval()->start);  // localisation used the marked interval

        ev::EvaluationOptions options;
        options.curves.randomOrders = 3;
        options.word = panel().wordInterval();
        std::vector<s4scope::ExplainRequest> requests;
        for (const QString& id : methods_) requests.push_back(window_->methodPanel()->request(id));
        engine_ = ev::evaluateClip(*window_->explorer()->model(), window_->explorer()->clip().samples, requests, options);
        QCOMPARE(shown->result.target, engine_->target);
        QCOMPARE(int(shown->result.methods.size()), 2);

        QTableWidget* table = panel().table();
        QCOMPARE(table->rowCount(), 3);  // two methods and the random reference
        auto value = [&](int row, int column) { return table->item(row, column)->data(Qt::UserRole).toDouble(); };
        for (int i = 0; i < 2; ++i) {
            const auto& m = engine_->methods[size_t(i)];
            QCOMPARE(table->item(i, EvaluatePanel::Method)->data(Qt::UserRole).toString(), methods_[i]);
            QVERIFY(sameNumber(value(i, EvaluatePanel::AucDeletion), m.curves.aucDeletion));
            QVERIFY(sameNumber(value(i, EvaluatePanel::AucInsertion), m.curves.aucInsertion));
            QVERIFY(sameNumber(value(i, EvaluatePanel::DeltaAF), m.curves.deltaAF()));
            QVERIFY(sameNumber(value(i, EvaluatePanel::Randomisation), m.randomisation->finalSimilarity()));
            QCOMPARE(value(i, EvaluatePanel::Sanity), m.randomisation->passed ? 1.0 : 0.0);
            QCOMPARE(table->item(i, EvaluatePanel::Sanity)->text(), QString(m.randomisation->passed ? "pass" : "fail"));
            QVERIFY(m.localisation);
            QVERIFY(sameNumber(value(i, EvaluatePanel::MassAccuracy), m.localisation->massAccuracy));
            QCOMPARE(value(i, EvaluatePanel::Pointing), m.localisation->pointingHit ? 1.0 : 0.0);
            if (m.conservation) QVERIFY(sameNumber(value(i, EvaluatePanel::Conservation), m.conservation->relativeError()));
            else QVERIFY(std::isnan(value(i, EvaluatePanel::Conservation)));
        }
        QVERIFY(sameNumber(value(2, EvaluatePanel::DeltaAF), engine_->random.deltaAF()));
        QVERIFY(sameNumber(value(2, EvaluatePanel::AucDeletion), engine_->random.aucDeletion));

        // The drawn curves: x in % of frames, y the engine's probabilities; the reference is dashed.
        auto* plot = panel().curvesPlot();
        QCOMPARE(plot->curveCount(), 2);
        auto sameCurve = [](QCPGraph* g, const ev::Curves& c, bool deletion) {
            const auto& values = deletion ? c.deletion : c.insertion;
            if (!g || g->data()->size() != int(values.size())) return false;
            int k = 0;
            for (auto it = g->data()->constBegin(); it != g->data()->constEnd(); ++it, ++k)
                if (!sameNumber(it->key, 100 * c.fractions[size_t(k)]) || !sameNumber(it->value, values[size_t(k)])) return false;
            return true;
        };
        for (int i = 0; i < 2; ++i) {
            QVERIFY(sameCurve(plot->deletionGraph(i), engine_->methods[size_t(i)].curves, true));
            QVERIFY(sameCurve(plot->insertionGraph(i), engine_->methods[size_t(i)].curves, false));
            QCOMPARE(plot->deletionGraph(i)->pen().color(), s4scope::views::evaluationColour(i));
        }
        QVERIFY(sameCurve(plot->deletionGraph(-1), engine_->random, true));
        QVERIFY(sameCurve(plot->insertionGraph(-1), engine_->random, false));
        QCOMPARE(plot->deletionGraph(-1)->pen().style(), Qt::DashLine);

        // Per-layer conservation: the LRP method's totals, nothing for the gradient.
        auto* layers = panel().conservationPlot();
        QCOMPARE(layers->lineCount(), 1);
        const auto& lrp = engine_->methods[1];
        QVERIFY(lrp.conservation && !lrp.conservation->layers.empty());
        QCOMPARE(layers->line(0)->data()->size(), int(lrp.conservation->layers.size()));
        int k = 0;
        for (auto it = layers->line(0)->data()->constBegin(); it != layers->line(0)->data()->constEnd(); ++it, ++k)
            QVERIFY(sameNumber(it->value, lrp.conservation->layers[size_t(k)].second));

        // The step names on its left axis never overlap: short, every name; squeezed, every k-th
        // (the logit and the input always), each name at least one text line from the next.
        auto spacingFits = [&] {
            layers->replot();
            const auto shown = layers->shownStepLabels();
            const double rowPx = std::abs(layers->yAxis->coordToPixel(1) - layers->yAxis->coordToPixel(0));
            const auto ticks = layers->yAxis->ticker().dynamicCast<QCPAxisTickerText>()->ticks();
            double previous = -1e9, closest = 1e9;
            for (auto it = ticks.cbegin(); it != ticks.cend(); ++it) {
                closest = std::min(closest, (it.key() - previous) * rowPx);
                previous = it.key();
            }
            return shown.size() >= 2 && shown.front() == QString::fromStdString(lrp.conservation->layers.front().first) &&
                   shown.back() == QString::fromStdString(lrp.conservation->layers.back().first) &&
                   closest >= QFontMetrics(layers->yAxis->tickLabelFont()).height();
        };
        const QSize before = layers->size();
        layers->resize(layers->width(), 120);
        QVERIFY(spacingFits());
        QVERIFY(layers->shownStepLabels().size() < int(lrp.conservation->layers.size()));
        layers->resize(layers->width(), 900);
        QVERIFY(spacingFits());
        QCOMPARE(layers->shownStepLabels().size(), int(lrp.conservation->layers.size()));
        layers->resize(before);
    }

    void exportWritesTheNumbers() {
        QVERIFY(engine_);
        const QString csv = out_.filePath("evaluation.csv"), json = out_.filePath("evaluation.json");
        QVERIFY(panel().exportData(csv));
        QVERIFY(panel().exportData(json));
        QFile c(csv);
        QVERIFY(c.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(c.readAll()).trimmed().split('\n');
        QCOMPARE(lines.size(), 3);
        const QStringList header = lines[0].split(',');
        for (int i = 0; i < 2; ++i) {
            const QStringList cells = lines[i + 1].split(',');
            QCOMPARE(cells.size(), header.size());
            QCOMPARE(cells[0], methods_[i]);
            const auto metrics = ev::metricsOf(*engine_, engine_->methods[size_t(i)]);
            for (const auto& [name, v] : metrics) {
                const QString cell = cells[header.indexOf(QString::fromStdString(name))];
                if (std::isnan(v)) QVERIFY(cell.isEmpty());
                else QVERIFY2(sameNumber(cell.toDouble(), v, 1e-8), qPrintable(QString::fromStdString(name) + " " + cell));
            }
        }
        QFile j(json);
        QVERIFY(j.open(QIODevice::ReadOnly));
        const QJsonObject root = QJsonDocument::fromJson(j.readAll()).object();
        QCOMPARE(root["word"].toObject()["start"].toDouble(), double(panel().wordInterval()->start));
        const QJsonArray methods = root["methods"].toArray();
        QCOMPARE(methods.size(), 2);
        for (int i = 0; i < 2; ++i) {
            const QJsonObject m = methods[i].toObject();
            const auto& e = engine_->methods[size_t(i)];
            QVERIFY(sameNumber(m["delta_af"].toDouble(), e.curves.deltaAF()));
            QVERIFY(sameNumber(m["mass_accuracy"].toDouble(), e.localisation->massAccuracy));
            const QJsonArray morf = m["curves"].toObject()["morf"].toArray();
            QCOMPARE(morf.size(), int(e.curves.deletion.size()));
            for (int k = 0; k < morf.size(); ++k) QVERIFY(sameNumber(morf[k].toDouble(), e.curves.deletion[size_t(k)]));
        }
        QVERIFY(sameNumber(root["random"].toObject()["delta_af"].toDouble(), engine_->random.deltaAF()));
        QVERIFY(!panel().exportData(out_.filePath("evaluation.txt")));  // unknown format: refused

        // Figures through the export machinery: images of the requested size.
        for (const QString name : {"curves.png", "curves.svg", "curves.pdf"}) {
            QVERIFY(panel().exportFigure(out_.filePath(name), s4scope::views::FigureOptions{1200, 600, 96}));
            QVERIFY(QFileInfo(out_.filePath(name)).size() > 1000);
        }
        QImage image(out_.filePath("curves.png"));
        QCOMPARE(image.size(), QSize(1200, 600));
        QVERIFY(panel().exportFigure(out_.filePath("layers.png"), s4scope::views::FigureOptions{900, 500, 96}, true));
        QCOMPARE(QImage(out_.filePath("layers.png")).size(), QSize(900, 500));
    }

    // The marked interval goes into the session (file time) and comes back in a new window.
    void intervalRoundTripsThroughASession() {
        const auto marked = *panel().wordInterval();
        const QString path = out_.filePath("marked.s4session");
        QVERIFY(window_->saveSession(path));
        const auto saved = s4scope::app::Session::load(path);
        QVERIFY(saved.wordSeconds);
        QVERIFY(std::abs(saved.wordSeconds->first - marked.start / 16000.0) < 1e-9);

        QTemporaryDir otherSettings;
        auto other = guitest::shownWindow(otherSettings);
        QVERIFY(guitest::waitForModel(*other));
        QSignalSpy clip(other->explorer(), &s4scope::app::Explorer::clipReady);
        other->openSession(path);
        QVERIFY(clip.wait(60000));
        QVERIFY(guitest::waitForIdle(*other));
        QVERIFY(other->evaluatePanel()->wordInterval());
        QCOMPARE(other->evaluatePanel()->wordInterval()->start, marked.start);
        QCOMPARE(other->evaluatePanel()->wordInterval()->end, marked.end);
        QVERIFY(other->evaluatePanel()->wordLabel()->text().contains("session"));
        QVERIFY(other->currentSession().wordSeconds == saved.wordSeconds);

        // A session written before intervals existed still loads, with none, and a bad one is refused.
        QByteArray json = saved.toJson(path);
        QJsonObject root = QJsonDocument::fromJson(json).object();
        root.remove("word");
        const auto old = s4scope::app::Session::fromJson(QJsonDocument(root).toJson(), path);
        QVERIFY(!old.wordSeconds);
        root["word"] = QJsonObject{{"start_s", 0.5}, {"end_s", 0.2}};
        QVERIFY_THROWS_EXCEPTION(s4scope::Error, s4scope::app::Session::fromJson(QJsonDocument(root).toJson(), path));
    }

    // docs/evaluate.png (scripts/screenshot-evaluate.sh): five methods on yes.wav with the sidecar's interval.
    void screenshotWhenAsked() {
        const QString folder = qEnvironmentVariable("S4SCOPE_EVALUATE_SCREENSHOT");
        if (folder.isEmpty()) QSKIP("S4SCOPE_EVALUATE_SCREENSHOT not set");
        const auto sidecar = ev::readWordInterval(guitest::clipPath("yes").toStdString());
        panel().setWordInterval(sidecar, "yes.word.json");
        window_->methodPanel()->setComparedMethods({"gradient", "integrated_gradients", "occlusion", "lrp_epsilon", "lrp_composite"});
        panel().setRandomOrders(8);
        tabs()->setCurrentWidget(&panel());
        QVERIFY(evaluateAndWait());
        QTest::qWait(800);
        QVERIFY(window_->grab().save(folder + "/evaluate.png"));
    }

    void cancellingStops() {
        QSignalSpy ready(&panel(), &EvaluatePanel::ready);
        panel().setRandomOrders(8);
        QVERIFY(panel().evaluate());
        QVERIFY(panel().isBusy());
        panel().cancel();
        QTRY_VERIFY_WITH_TIMEOUT(!panel().isBusy(), 60000);
        QCOMPARE(ready.count(), 0);
        QVERIFY(!panel().result());
        QCOMPARE(panel().progressLabel()->text(), QString("Cancelled"));
    }
};

QTEST_MAIN(TestGuiEvaluate)
#include "test_gui_evaluate.moc"
