// The waiting-room TV board. All logic is in the Python view model (vm).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtMultimedia

ApplicationWindow {
    id: root
    required property var vm
    visible: true
    title: "Antrian Display"
    color: "#0A1F44"

    // a TV on its side (1920x1080) or upright (1080x1920): one unit is a pixel at either
    readonly property bool upright: height > width
    readonly property real unit: upright ? Math.min(width / 1080, height / 1920)
                                         : Math.min(width / 1920, height / 1080)
    readonly property color gold: "#FFD23F"
    readonly property color panel: "#13305F"
    readonly property color text: "#FFFFFF"
    readonly property color soft: "#C9D6EA"

    function t(key) { return vm.t(key, vm.lang) }

    header: Rectangle {
        height: 110 * root.unit
        color: "#07162F"
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: 40 * root.unit
            anchors.rightMargin: 40 * root.unit
            Text {
                text: vm.siteName
                color: root.text
                font.pixelSize: 46 * root.unit
                font.bold: true
                // a long name (beside the clock of an upright TV) on two lines and smaller
                wrapMode: Text.Wrap
                fontSizeMode: Text.Fit
                minimumPixelSize: 24 * root.unit
                verticalAlignment: Text.AlignVCenter
                Layout.fillHeight: true
                clip: true
                Layout.fillWidth: true
            }
            Rectangle {
                objectName: "offlineMark"
                visible: vm.offline
                radius: 10 * root.unit
                color: "#8A1C1C"
                implicitWidth: offlineText.implicitWidth + 32 * root.unit
                implicitHeight: offlineText.implicitHeight + 16 * root.unit
                Text {
                    id: offlineText
                    anchors.centerIn: parent
                    text: "● " + root.t("display_offline")
                    color: "white"
                    font.pixelSize: 26 * root.unit
                }
            }
            Text { objectName: "clock"; text: vm.now; color: root.soft; font.pixelSize: 38 * root.unit }
        }
    }

    // side by side on a TV on its side; upright, the calls and counters above the rest
    GridLayout {
        anchors.fill: parent
        anchors.margins: 28 * root.unit
        anchors.bottomMargin: 96 * root.unit
        columns: root.upright ? 1 : 2
        rowSpacing: 28 * root.unit
        columnSpacing: 28 * root.unit

        // ------------------------------------------------------------- left: now calling + counters
        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.preferredWidth: 62
            Layout.preferredHeight: 64
            spacing: 24 * root.unit

            Rectangle {
                objectName: "callingPanel"
                Layout.fillWidth: true
                Layout.preferredHeight: 340 * root.unit
                radius: 24 * root.unit
                color: vm.calling.speaking ? root.gold : root.panel
                border.color: root.gold
                border.width: 4 * root.unit
                Behavior on color { ColorAnimation { duration: 300 } }
                readonly property color ink: vm.calling.speaking ? "#0A1F44" : root.text
                ColumnLayout {
                    anchors.centerIn: parent
                    spacing: 4 * root.unit
                    Text {
                        text: root.t("display_calling") + (vm.calling.recall ? "  ↻" : "")
                        color: parent.parent.ink
                        font.pixelSize: 40 * root.unit
                        Layout.alignment: Qt.AlignHCenter
                    }
                    Text {
                        objectName: "callingNumber"
                        text: vm.calling.number || root.t("display_quiet")
                        color: parent.parent.ink
                        font.pixelSize: vm.calling.number ? 170 * root.unit : 56 * root.unit
                        font.bold: true
                        Layout.alignment: Qt.AlignHCenter
                    }
                    Text {
                        objectName: "callingCounter"
                        visible: !!vm.calling.number
                        text: "→ " + (vm.calling.counterName || "") + (vm.calling.priority ? "   ♿" : "")
                        color: parent.parent.ink
                        font.pixelSize: 56 * root.unit
                        font.bold: true
                        Layout.alignment: Qt.AlignHCenter
                    }
                }
            }

            GridView {
                id: counterGrid
                objectName: "counterGrid"
                Layout.fillWidth: true
                Layout.fillHeight: true
                clip: true
                interactive: false
                // tiles about 1.8 times as wide as high, as many as fit the area
                readonly property int columns: Math.max(2, Math.ceil(Math.sqrt(count * width / (1.8 * Math.max(1, height)))))
                readonly property int rows: Math.max(1, Math.ceil(count / columns))
                cellWidth: Math.floor(width / columns)
                cellHeight: Math.floor(Math.min(height / rows, cellWidth / 1.4))
                model: vm.counterList
                delegate: Item {
                    required property string code
                    required property string name
                    required property string current
                    required property string state
                    required property string stateText
                    required property bool priority
                    required property bool highlight
                    width: counterGrid.cellWidth
                    height: counterGrid.cellHeight
                    Rectangle {
                        objectName: "counter_" + code
                        anchors.fill: parent
                        anchors.margins: 8 * root.unit
                        radius: 14 * root.unit
                        color: highlight ? root.gold : root.panel
                        opacity: state === "closed" ? 0.55 : 1
                        // read from the back of the room: the counter's name large, a long
                        // one wrapped and made smaller to fit, never cut
                        Text {
                            objectName: "counterName_" + code
                            anchors.left: parent.left
                            anchors.right: parent.right
                            anchors.top: parent.top
                            anchors.margins: 6 * root.unit
                            height: parent.height * 0.42
                            horizontalAlignment: Text.AlignHCenter
                            verticalAlignment: Text.AlignVCenter
                            text: name
                            color: highlight ? "#0A1F44" : root.soft
                            font.pixelSize: Math.max(14, parent.height * 0.3)
                            font.bold: true
                            wrapMode: Text.Wrap
                            maximumLineCount: 3
                            fontSizeMode: Text.Fit
                            minimumPixelSize: 6
                        }
                        Text {
                            objectName: "current_" + code
                            anchors.horizontalCenter: parent.horizontalCenter
                            anchors.bottom: parent.bottom
                            anchors.bottomMargin: parent.height * 0.03
                            width: parent.width - 12 * root.unit
                            horizontalAlignment: Text.AlignHCenter
                            text: stateText !== "" ? stateText : (current !== "" ? current + (priority ? " ♿" : "") : "—")
                            color: highlight ? "#0A1F44" : (stateText !== "" ? root.soft : root.text)
                            font.pixelSize: Math.max(16, parent.height * (stateText !== "" ? 0.3 : 0.48))
                            font.bold: true
                            fontSizeMode: Text.HorizontalFit
                            minimumPixelSize: 12
                        }
                    }
                }
            }
        }

    // ------------------------------------- right (upright: below): recent, waiting, media
        GridLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.preferredWidth: 38
            Layout.preferredHeight: 36
            columns: root.upright ? 2 : 1  // upright: recent and waiting side by side
            rowSpacing: 20 * root.unit
            columnSpacing: 20 * root.unit

            Rectangle {
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.preferredHeight: 55
                radius: 20 * root.unit
                color: root.panel
                ColumnLayout {
                    anchors.fill: parent
                    anchors.margins: 20 * root.unit
                    Text { text: root.t("display_recent"); color: root.gold; font.pixelSize: 34 * root.unit; font.bold: true }
                    ListView {
                        objectName: "recentList"
                        Layout.fillWidth: true
                        Layout.fillHeight: true
                        clip: true
                        interactive: false
                        model: vm.recentList
                        delegate: RowLayout {
                            required property string number
                            required property string counterName
                            required property string time
                            required property bool priority
                            required property bool recall
                            width: ListView.view.width
                            height: 62 * root.unit
                            Text { text: number + (priority ? " ♿" : ""); color: root.text; font.pixelSize: 40 * root.unit; font.bold: true; Layout.preferredWidth: parent.width * 0.34 }
                            Text { text: "→ " + counterName + (recall ? " ↻" : ""); color: root.soft; font.pixelSize: 32 * root.unit; elide: Text.ElideRight; Layout.fillWidth: true }
                            Text { text: time; color: root.soft; font.pixelSize: 26 * root.unit }
                        }
                    }
                }
            }

            Rectangle {
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.preferredHeight: vm.media.length > 0 ? 25 : 45
                radius: 20 * root.unit
                color: root.panel
                ColumnLayout {
                    anchors.fill: parent
                    anchors.margins: 20 * root.unit
                    RowLayout {
                        Layout.fillWidth: true
                        Text { text: root.t("display_waiting"); color: root.gold; font.pixelSize: 34 * root.unit; font.bold: true; Layout.fillWidth: true }
                        Text {
                            objectName: "waitingPage"
                            opacity: waitingView.pages > 1 ? 1 : 0  // keeps its room: the rows do not move
                            text: (waitingView.page + 1) + " / " + waitingView.pages
                            color: root.soft
                            font.pixelSize: 28 * root.unit
                        }
                    }
                    Text {
                        objectName: "nobodyWaiting"
                        visible: waitingView.count === 0
                        Layout.fillHeight: true  // holds the panel's space while the list is hidden
                        verticalAlignment: Text.AlignTop
                        text: root.t("nobody_waiting")
                        color: root.soft
                        font.pixelSize: 28 * root.unit
                    }
                    ListView {
                        id: waitingView
                        objectName: "waitingList"
                        visible: count > 0
                        Layout.fillWidth: true
                        Layout.fillHeight: true
                        clip: true
                        interactive: false
                        model: vm.waitingList
                        // more services than fit: the list turns a page every pageInterval ms
                        // a narrow panel (an upright TV's): each service on two lines, its name
                        // across the row above its wait and count rather than cut short beside them
                        readonly property bool stacked: width < 560 * root.unit
                        readonly property real rowHeight: (stacked ? 70 : 48) * root.unit
                        readonly property int perPage: Math.max(1, Math.floor(height / rowHeight))
                        readonly property int pages: Math.max(1, Math.ceil(count / perPage))
                        property int page: 0
                        property int pageInterval: 8000
                        onPagesChanged: if (page >= pages) page = 0
                        onPageChanged: { showPage(); refit() }
                        // the names of a page share one size: the largest at which the page's
                        // longest fits (down to nameSmallest), so its rows never differ; a name
                        // longer still is cut
                        readonly property real nameLargest: 28 * root.unit
                        readonly property real nameSmallest: 21 * root.unit
                        property real nameSize: nameLargest
                        function refit() { Qt.callLater(fitNames) }
                        function fitNames() {
                            let size = nameLargest
                            for (const row of contentItem.children)
                                if (row.visible && row.nameFit !== undefined)
                                    size = Math.min(size, row.nameFit)
                            nameSize = Math.floor(Math.max(nameSmallest, size))  // a pixel size is whole: never rounded up
                        }
                        // from the first row, wherever the list's origin moved as rows came and went
                        // (set, not bound: laying the rows out moves the origin, which a binding
                        // would meet again within its own evaluation)
                        function showPage() { contentY = originY + page * perPage * rowHeight }
                        onOriginYChanged: showPage()
                        onPerPageChanged: showPage()
                        onCountChanged: showPage()
                        onHeightChanged: showPage()
                        // room below the last row for a whole page, so that the view never pulls
                        // the list's end up to its bottom edge (as a resize did), which showed the
                        // last page's rows low with a gap above them
                        footer: Item { width: 1; height: waitingView.height }
                        Timer {
                            interval: waitingView.pageInterval
                            running: waitingView.pages > 1
                            repeat: true
                            onTriggered: waitingView.page = (waitingView.page + 1) % waitingView.pages
                        }
                        delegate: GridLayout {
                            required property string name
                            required property int count
                            required property string wait
                            required property int index
                            readonly property bool stacked: ListView.view.stacked
                            width: ListView.view.width
                            height: ListView.view.rowHeight
                            // the next page's first row never peeks in below the last
                            visible: Math.floor(index / ListView.view.perPage) === ListView.view.page
                            columns: stacked ? 2 : 3
                            columnSpacing: 16 * root.unit
                            rowSpacing: 0
                            // the size at which this row's name would fit its room: the row's
                            // width, or on one line what its wait and count leave
                            readonly property real nameFit: {
                                const room = stacked ? width
                                                     : width - waitText.width - countText.width - 2 * columnSpacing
                                const needed = nameMetrics.advanceWidth
                                return needed <= room ? waitingView.nameLargest
                                                      : waitingView.nameLargest * room / needed
                            }
                            onNameFitChanged: waitingView.refit()
                            onVisibleChanged: waitingView.refit()
                            TextMetrics {
                                id: nameMetrics
                                text: name; font.family: nameText.font.family
                                font.pixelSize: waitingView.nameLargest
                            }
                            Text {
                                id: nameText; objectName: "waitingName"
                                Layout.row: 0; Layout.column: 0; Layout.columnSpan: stacked ? 2 : 1
                                text: name; color: stacked ? root.text : root.soft; font.pixelSize: waitingView.nameSize
                                elide: Text.ElideRight; Layout.fillWidth: true
                                Layout.fillHeight: true
                                verticalAlignment: stacked ? Text.AlignBottom : Text.AlignVCenter
                            }
                            Text {
                                id: waitText; objectName: "waitingWait"
                                Layout.row: stacked ? 1 : 0; Layout.column: stacked ? 0 : 1
                                Layout.fillWidth: stacked; Layout.fillHeight: stacked
                                verticalAlignment: Text.AlignTop
                                text: wait; color: root.soft
                                font.pixelSize: stacked ? Math.min(24 * root.unit, waitingView.nameSize) : 24 * root.unit
                            }
                            Text {
                                id: countText
                                Layout.row: stacked ? 1 : 0; Layout.column: stacked ? 1 : 2
                                Layout.alignment: stacked ? Qt.AlignTop : Qt.AlignVCenter
                                text: count; color: root.text; font.bold: true
                                font.pixelSize: stacked ? waitText.font.pixelSize : 32 * root.unit  // on the wait's line
                            }
                        }
                    }
                }
            }

            Rectangle {
                objectName: "media"
                visible: vm.media.length > 0
                Layout.columnSpan: root.upright ? 2 : 1
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.preferredHeight: 30
                radius: 20 * root.unit
                color: "black"
                clip: true
                property int index: 0
                readonly property string source: vm.media.length > 0 ? vm.media[index % vm.media.length] : ""
                readonly property bool video: /\.(mp4|webm|mkv)$/i.test(source)
                Image {
                    anchors.fill: parent
                    visible: !parent.video
                    source: parent.video ? "" : parent.source
                    fillMode: Image.PreserveAspectFit
                }
                Video {
                    anchors.fill: parent
                    visible: parent.video
                    source: parent.video ? parent.source : ""
                    muted: true
                    autoPlay: true
                    onStopped: parent.index += 1
                }
                Timer {
                    interval: 8000; repeat: true
                    running: parent.visible && !parent.video
                    onTriggered: parent.index += 1
                }
            }
        }
    }

    // ------------------------------------------------------------------ the running text
    Rectangle {
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        height: 80 * root.unit
        color: root.gold
        clip: true
        Text {
            id: ticker
            objectName: "ticker"
            text: vm.ticker
            color: "#0A1F44"
            font.pixelSize: 38 * root.unit
            font.bold: true
            anchors.verticalCenter: parent.verticalCenter
            NumberAnimation on x {
                from: root.width
                to: -ticker.implicitWidth
                duration: Math.max(10000, (root.width + ticker.implicitWidth) * 8)
                loops: Animation.Infinite
                running: ticker.text !== ""
            }
        }
    }
}
