// The survey tablet's screens. All logic is in the Python view model (vm); this file only shows it.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

ApplicationWindow {
    id: root
    required property var vm
    visible: true
    title: "Antrian Survei"
    color: "#F4F6FA"

    // made for a 1280x800 tablet on its side or upright (800x1280), the answers two by two there
    readonly property bool upright: height > width
    readonly property real unit: upright ? Math.max(0.6, Math.min(width / 800, height / 1280))
                                         : Math.max(0.6, Math.min(width / 1280, height / 800))
    readonly property color brand: "#0B3D91"
    readonly property color ink: "#1A1A1A"
    readonly property color muted: "#3D4551"
    readonly property int body: Math.round(28 * unit)
    // 96 pixels, and more on a larger screen; less only on a screen lower than the one it is
    // made for (a 7-inch tablet's 1024x600 or 800x480), where the number keys would not fit
    readonly property int touch: Math.round(96 * Math.max(unit, Math.min(1, height / (upright ? 1280 : 800))))
    readonly property var faceColours: ["#F3B0A8", "#F7CF9B", "#CDE8B0", "#9FDC9A"]

    function t(key) { return vm.t(key, vm.lang) }

    component BigButton: Button {
        id: control
        property color tone: root.brand
        implicitHeight: root.touch
        implicitWidth: Math.max(root.touch * 2, contentItem.implicitWidth + 48 * root.unit)
        font.pixelSize: root.body
        font.bold: true
        contentItem: Text {
            text: control.text
            font: control.font
            color: "white"
            horizontalAlignment: Text.AlignHCenter
            verticalAlignment: Text.AlignVCenter
            wrapMode: Text.Wrap
        }
        background: Rectangle {
            radius: 14 * root.unit
            color: control.down ? Qt.darker(control.tone, 1.3) : control.tone
        }
    }

    // A face drawn (the mouth turns from down to up with the answer), always with its words
    component Face: Canvas {
        property int value: 1
        implicitWidth: 72 * root.unit
        implicitHeight: 72 * root.unit
        onPaint: {
            var c = getContext("2d"), w = width, h = height, r = Math.min(w, h) / 2 - 3
            c.reset()
            c.lineWidth = 3
            c.strokeStyle = "#333333"
            c.fillStyle = root.faceColours[value - 1]
            c.beginPath(); c.arc(w / 2, h / 2, r, 0, 2 * Math.PI); c.fill(); c.stroke()
            c.fillStyle = "#333333"
            c.beginPath(); c.arc(w / 2 - r / 3, h / 2 - r / 4, r / 9, 0, 2 * Math.PI); c.fill()
            c.beginPath(); c.arc(w / 2 + r / 3, h / 2 - r / 4, r / 9, 0, 2 * Math.PI); c.fill()
            var bend = [-0.35, -0.12, 0.2, 0.45][value - 1] * r
            c.beginPath()
            c.moveTo(w / 2 - r / 2, h / 2 + r / 3)
            c.quadraticCurveTo(w / 2, h / 2 + r / 3 + bend, w / 2 + r / 2, h / 2 + r / 3)
            c.stroke()
        }
    }

    header: Rectangle {
        height: 96 * root.unit
        color: root.brand
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: 32 * root.unit
            anchors.rightMargin: 24 * root.unit
            Text {
                text: root.t("skm_title") + (vm.siteName ? " · " + vm.siteName : "")
                color: "white"
                font.pixelSize: 30 * root.unit
                font.bold: true
                // one line, made smaller to fit; upright, wrapped first
                wrapMode: root.upright ? Text.Wrap : Text.NoWrap
                fontSizeMode: root.upright ? Text.Fit : Text.HorizontalFit
                minimumPixelSize: 14
                verticalAlignment: Text.AlignVCenter
                Layout.fillWidth: true
                Layout.fillHeight: true
                clip: true
            }
            Button {
                objectName: "languageButton"
                text: vm.nextLanguageName
                implicitHeight: root.touch * 0.8
                implicitWidth: Math.max(root.touch * 2, contentItem.implicitWidth + 40)
                font.pixelSize: 24 * root.unit
                onClicked: vm.toggleLanguage()
            }
        }
    }

    StackLayout {
        anchors.fill: parent
        anchors.margins: 32 * root.unit
        currentIndex: ["start", "number", "question", "sending", "thanks", "message", "unavailable"].indexOf(vm.screen)

        // ---------------------------------------------------------------- start
        ColumnLayout {
            spacing: 28 * root.unit
            Text {
                text: root.t("skm_tablet_welcome")
                font.pixelSize: 44 * root.unit
                font.bold: true
                color: root.ink
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            BigButton {
                objectName: "rateOffered"
                visible: vm.offer !== ""
                text: vm.offerText
                tone: "#17653A"
                Layout.fillWidth: true
                implicitHeight: root.touch * 1.4
                onClicked: vm.rateOffered()
            }
            BigButton {
                objectName: "typeNumber"
                text: root.t("skm_tablet_type_number")
                Layout.fillWidth: true
                onClicked: vm.typeNumber()
            }
            Item { Layout.fillHeight: true }
            Text {  // what citizens said here over the year: their answers count
                objectName: "ikm"
                visible: text !== ""
                text: vm.ikmText
                font.pixelSize: 26 * root.unit
                color: root.ink
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
        }

        // ---------------------------------------------------------------- number pad
        ColumnLayout {
            spacing: 18 * root.unit
            Text {
                text: root.t("skm_tablet_your_number")
                font.pixelSize: 34 * root.unit
                color: root.ink
            }
            Rectangle {  // the field the keys type into, there before the first key
                Layout.preferredWidth: Math.max(360 * root.unit, typed.implicitWidth + 48 * root.unit)
                Layout.preferredHeight: typed.implicitHeight + 16 * root.unit
                radius: 12 * root.unit
                color: "white"
                border.color: root.brand
                border.width: 3 * root.unit
                Text {
                    id: typed
                    objectName: "typed"
                    anchors.centerIn: parent
                    text: vm.typed || " "
                    font.pixelSize: 72 * root.unit
                    font.bold: true
                    color: root.brand
                }
            }
            GridLayout {
                columns: 12
                columnSpacing: 8 * root.unit
                rowSpacing: 8 * root.unit
                Layout.fillWidth: true
                Repeater {
                    model: "1234567890ABCDEFGHIJKLMNOPQRSTUVWXYZ".split("")
                    delegate: Button {
                        required property string modelData
                        objectName: "key_" + modelData
                        text: modelData
                        font.pixelSize: 32 * root.unit
                        font.bold: true
                        Layout.fillWidth: true
                        implicitHeight: root.touch
                        onClicked: vm.key(modelData)
                    }
                }
            }
            RowLayout {
                Layout.fillWidth: true
                spacing: 18 * root.unit
                BigButton { objectName: "cancel"; text: root.t("skm_tablet_cancel"); tone: "#4B5563"; onClicked: vm.startOver() }
                BigButton { objectName: "erase"; text: "⌫ " + root.t("skm_tablet_erase"); tone: "#4B5563"; onClicked: vm.erase() }
                BigButton {
                    objectName: "confirmNumber"
                    text: root.t("skm_tablet_next")
                    tone: "#17653A"
                    enabled: vm.typed !== ""
                    Layout.fillWidth: true
                    onClicked: vm.confirmNumber()
                }
            }
            Item { Layout.fillHeight: true }
        }

        // ---------------------------------------------------------------- one question
        ColumnLayout {
            spacing: 20 * root.unit
            Text {
                objectName: "progress"
                text: vm.visit + "   ·   " + (vm.index + 1) + " / " + vm.total
                font.pixelSize: 24 * root.unit
                color: root.muted
                Layout.fillWidth: true
                elide: Text.ElideRight
            }
            Text {
                objectName: "questionText"
                text: (vm.question.code || "") + "  " + (vm.question.text || "")
                font.pixelSize: 36 * root.unit
                font.bold: true
                color: root.ink
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            GridLayout {
                columns: root.upright ? 2 : 4
                rowSpacing: 16 * root.unit
                columnSpacing: 16 * root.unit
                Layout.fillWidth: true
                Layout.fillHeight: true
                Repeater {
                    model: vm.question.answers || []
                    delegate: Button {
                        id: answerButton
                        required property string modelData
                        required property int index
                        objectName: "answer_" + (index + 1)
                        Layout.fillWidth: true
                        Layout.fillHeight: true
                        Layout.preferredWidth: 1
                        implicitHeight: Math.max(root.touch * 2, 220 * root.unit)
                        onClicked: vm.answer(index + 1)
                        background: Rectangle {
                            radius: 18 * root.unit
                            color: answerButton.down ? "#E3EEFA" : "white"
                            border.color: "#C5CCD6"
                            border.width: 3
                        }
                        contentItem: ColumnLayout {
                            spacing: 12 * root.unit
                            Face { value: answerButton.index + 1; Layout.alignment: Qt.AlignHCenter }
                            Text {
                                text: answerButton.modelData
                                font.pixelSize: 28 * root.unit
                                font.bold: true
                                color: root.ink
                                wrapMode: Text.Wrap
                                horizontalAlignment: Text.AlignHCenter
                                Layout.fillWidth: true
                            }
                        }
                    }
                }
            }
            BigButton {
                objectName: "back"
                text: "‹ " + root.t("skm_tablet_back")
                tone: "#4B5563"
                onClicked: vm.back()
            }
        }

        // ---------------------------------------------------------------- sending
        Text {
            text: "…"
            font.pixelSize: 60 * root.unit
            horizontalAlignment: Text.AlignHCenter
        }

        // ---------------------------------------------------------------- thanks
        Text {
            objectName: "thanks"
            text: "✔ " + root.t("skm_thanks_title") + "\n" + root.t("skm_thanks")
            font.pixelSize: 44 * root.unit
            font.bold: true
            color: "#17653A"
            wrapMode: Text.Wrap
            horizontalAlignment: Text.AlignHCenter
            verticalAlignment: Text.AlignVCenter
        }

        // ---------------------------------------------------------------- a refusal
        ColumnLayout {
            spacing: 28 * root.unit
            Text {
                objectName: "message"
                text: vm.message
                font.pixelSize: 36 * root.unit
                color: "#8A1C1C"
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            BigButton { objectName: "ok"; text: root.t("skm_tablet_ok"); onClicked: vm.startOver() }
            Item { Layout.fillHeight: true }
        }

        // ---------------------------------------------------------------- database away
        Text {
            text: root.t("kiosk_unavailable")
            font.pixelSize: 36 * root.unit
            wrapMode: Text.Wrap
        }
    }
}
