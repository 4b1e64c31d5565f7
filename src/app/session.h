#pragma once
// A session file (JSON, extension .s4session) reopens the same clip, model, methods and parameters.
#include <map>
#include <optional>
#include <utility>

#include <QString>
#include <QStringList>

#include "s4scope/attribution.h"

namespace s4scope::app {

struct Session {
    QString audioPath;       // absolute
    double offsetSeconds = 0;
    QString modelPath;       // absolute; empty: the bundled model
    QString method;          // the method of the explanation view
    int target = -1;         // class index; -1: the predicted class
    std::map<QString, MethodParams> params;  // per method id: the parameters as edited
    QStringList comparedMethods;
    bool sharedScale = true;
    QString correlation = QStringLiteral("pearson");  // or "spearman", "top_k_jaccard" (signal::correlationKey)
    // The word's interval for localisation (the Evaluate tab), in seconds of file time; sessions
    // written before it existed have none.
    std::optional<std::pair<double, double>> wordSeconds;

    QByteArray toJson(const QString& sessionPath) const;
    // Paths in the file are taken relative to the session's folder when not absolute, so a session
    // moved together with its clip still opens. Throws s4scope::Error naming the file and the reason.
    static Session fromJson(const QByteArray& json, const QString& sessionPath);

    void save(const QString& path) const;   // throws s4scope::Error
    static Session load(const QString& path);  // throws s4scope::Error

    bool operator==(const Session& other) const;
};

}  // namespace s4scope::app
