#pragma once
// The "Open recent" menu: clips and sessions opened lately, kept in QSettings.
#include <QObject>
#include <QStringList>

class QMenu;

namespace s4scope::app {

class RecentFiles : public QObject {
    Q_OBJECT
public:
    RecentFiles(QMenu* menu, QObject* parent = nullptr);

    void add(const QString& path);
    QStringList files() const;

signals:
    void chosen(const QString& path);

private:
    void rebuildMenu();
    QMenu* menu_;
};

}  // namespace s4scope::app
