// The kiosk's screens. All logic is in the Python view model (vm); this file only shows it.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

ApplicationWindow {
    id: root
    required property var vm
    visible: true
    title: "Antrian Kiosk"
    color: "#F4F6FA"

    readonly property bool portrait: height >= width
    // one unit is a pixel on a 1080-pixel screen (its short side) and grows with a larger one;
    // a smaller screen or window (a 1366x768 monitor, the demo's window) draws everything
    // smaller in proportion, down to what fits: the layout needs 768x1280 upright, 1280x1024
    // on its side
    readonly property real unit: Math.min(Math.max(1, Math.min(width, height) / 1080),
                                          width / (portrait ? 768 : 1280),
                                          height / (portrait ? 1280 : 1024))
    readonly property color brand: "#0B3D91"
    readonly property color ink: "#1A1A1A"
    readonly property color muted: "#3D4551"
    readonly property color go: "#17653A"
    readonly property int body: Math.round(26 * unit)
    readonly property int touch: Math.round(96 * unit)

    function t(key) { return vm.t(key, vm.lang) }

    TapHandler { onTapped: vm.touched() }

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
            color: control.enabled ? (control.down ? Qt.darker(control.tone, 1.3) : control.tone) : "#4B5563"
        }
    }

    component Label2: Text {
        color: root.ink
        font.pixelSize: root.body
        wrapMode: Text.Wrap
    }

    header: Rectangle {
        height: Math.max(120 * root.unit, headerRow.implicitHeight + 24 * root.unit)
        color: root.brand
        RowLayout {
            id: headerRow
            anchors.fill: parent
            anchors.leftMargin: 32 * root.unit
            anchors.rightMargin: 32 * root.unit
            spacing: 24 * root.unit
            ColumnLayout {
                Layout.fillWidth: true
                spacing: 2
                Text {
                    objectName: "siteName"
                    text: vm.siteName
                    color: "white"
                    font.pixelSize: 34 * root.unit
                    font.bold: true
                    wrapMode: Text.Wrap
                    maximumLineCount: 2
                    elide: Text.ElideRight
                    Layout.fillWidth: true
                    TapHandler { longPressThreshold: 3; onLongPressed: vm.adminRequest() }
                }
                Text { objectName: "clock"; text: vm.now; color: "white"; font.pixelSize: 24 * root.unit }
            }
            Button {
                objectName: "languageButton"
                text: vm.nextLanguageName
                implicitHeight: root.touch
                implicitWidth: 280 * root.unit
                font.pixelSize: 26 * root.unit
                onClicked: vm.nextLanguage()
                background: Rectangle { radius: 12 * root.unit; color: "white" }
                contentItem: Text {
                    text: parent.text; font: parent.font; color: root.brand
                    horizontalAlignment: Text.AlignHCenter; verticalAlignment: Text.AlignVCenter
                }
            }
        }
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        Rectangle {
            objectName: "printerNotice"
            visible: vm.printerNotice !== "" && vm.screen !== "unavailable"
            Layout.fillWidth: true
            implicitHeight: noticeText.implicitHeight + 32 * root.unit
            color: "#FFE08A"
            Label2 {
                id: noticeText
                anchors.fill: parent
                anchors.margins: 16 * root.unit
                text: "⚠  " + vm.printerNotice
                font.bold: true
                verticalAlignment: Text.AlignVCenter
            }
        }

        StackLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.margins: 32 * root.unit
            currentIndex: ["home", "agency", "service", "ticket", "unavailable", "checkin"].indexOf(vm.screen)

            // ---------------------------------------------------------------- home: agencies
            ColumnLayout {
                spacing: 24 * root.unit
                Label2 { text: root.t("kiosk_choose_agency"); font.pixelSize: 40 * root.unit; font.bold: true }
                Label2 {
                    objectName: "dayOff"
                    visible: vm.dayOff !== ""
                    text: "○  " + vm.dayOff
                    font.pixelSize: 32 * root.unit
                    font.bold: true
                    color: "#7A3E00"
                    Layout.fillWidth: true
                }
                GridView {
                    id: agencyGrid
                    objectName: "agencyGrid"
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    clip: true
                    // every agency on the first screen where they fit, with lower tiles and
                    // more columns (as many as are wide enough for a name) if need be, rather
                    // than tiles below the screen's edge that a citizen does not know to
                    // scroll to; more than that scroll, with the scroll bar shown
                    readonly property real rowTallest: 190 * root.unit
                    readonly property real rowLowest: 150 * root.unit
                    readonly property int columns: {
                        const fewest = root.portrait ? 2 : 4
                        const most = Math.max(fewest, Math.floor(width / (320 * root.unit)))
                        let c = fewest
                        while (c < most && Math.ceil(count / c) * rowLowest > height)
                            c += 1
                        return c
                    }
                    readonly property int rows: Math.max(1, Math.ceil(count / columns))
                    cellWidth: width / columns
                    readonly property bool scrolls: rows * rowLowest > height
                    cellHeight: scrolls ? rowTallest : Math.min(rowTallest, Math.floor(height / rows))
                    ScrollBar.vertical: ScrollBar {
                        objectName: "agencyScroll"
                        policy: ScrollBar.AlwaysOn
                        visible: agencyGrid.scrolls
                    }
                    model: vm.agencyList
                    delegate: Item {
                        id: agencyCell
                        required property string code
                        required property string name
                        required property string waiting
                        required property bool isOpen
                        width: agencyGrid.cellWidth
                        height: agencyGrid.cellHeight
                        Rectangle {
                            objectName: "agency_" + agencyCell.code
                            anchors.fill: parent
                            anchors.margins: 10 * root.unit
                            radius: 16 * root.unit
                            color: "white"
                            border.color: agencyCell.isOpen ? root.brand : "#9AA0A6"
                            border.width: 3 * root.unit
                            ColumnLayout {
                                anchors.fill: parent
                                anchors.margins: 14 * root.unit
                                spacing: 0  // a name of three lines and the count in the lowest tile
                                Label2 {
                                    text: agencyCell.name
                                    font.bold: true
                                    Layout.fillWidth: true
                                    maximumLineCount: 3
                                    elide: Text.ElideRight
                                }
                                Item { Layout.fillHeight: true }
                                Label2 {
                                    text: agencyCell.isOpen ? agencyCell.waiting : "✕ " + root.t("kiosk_closed")
                                    color: root.muted
                                    font.pixelSize: 24 * root.unit
                                }
                            }
                            TapHandler { onTapped: vm.chooseAgency(agencyCell.code) }
                        }
                    }
                }
                BigButton {
                    objectName: "haveAppointment"
                    Layout.fillWidth: true
                    implicitHeight: 120 * root.unit
                    font.pixelSize: 32 * root.unit
                    tone: "#5B3A8C"
                    text: "▣  " + root.t("kiosk_have_appointment")
                    onClicked: vm.openCheckin()
                }
            }

            // ---------------------------------------------------------------- agency: services
            ColumnLayout {
                spacing: 20 * root.unit
                RowLayout {
                    spacing: 24 * root.unit
                    BigButton { objectName: "backFromAgency"; text: "‹ " + root.t("kiosk_back"); onClicked: vm.goBack() }
                    Label2 { text: vm.agencyName; font.pixelSize: 36 * root.unit; font.bold: true; Layout.fillWidth: true }
                }
                Label2 { text: root.t("kiosk_choose_service"); color: root.muted }
                ListView {
                    id: serviceList
                    objectName: "serviceList"
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    clip: true
                    // an agency of more services than fit says so
                    ScrollBar.vertical: ScrollBar {
                        id: serviceScroll
                        objectName: "serviceScroll"
                        policy: ScrollBar.AlwaysOn
                        visible: serviceList.contentHeight > serviceList.height + 1
                    }
                    property string openedOn: vm.screen + "/" + vm.agencyName
                    onOpenedOnChanged: positionViewAtBeginning()
                    spacing: 14 * root.unit
                    model: vm.serviceList
                    delegate: Rectangle {
                        id: serviceRow
                        required property string code
                        required property string name
                        required property string status
                        required property bool canIssue
                        objectName: "service_" + serviceRow.code
                        width: ListView.view.width - (serviceScroll.visible ? serviceScroll.width + 8 * root.unit : 0)
                        height: Math.max(root.touch * 1.4, serviceColumn.implicitHeight + 36 * root.unit)
                        radius: 14 * root.unit
                        color: "white"
                        border.color: serviceRow.canIssue ? root.brand : "#9AA0A6"
                        border.width: 3 * root.unit
                        ColumnLayout {
                            id: serviceColumn
                            anchors.left: parent.left
                            anchors.right: chevron.left
                            anchors.verticalCenter: parent.verticalCenter
                            anchors.margins: 24 * root.unit
                            Label2 { text: serviceRow.name; font.bold: true; font.pixelSize: 30 * root.unit; Layout.fillWidth: true }
                            Label2 {
                                text: (serviceRow.canIssue ? "✓ " : "✕ ") + serviceRow.status
                                color: root.muted
                                Layout.fillWidth: true
                            }
                        }
                        Text {
                            id: chevron
                            text: "›"
                            anchors.right: parent.right
                            anchors.rightMargin: 24 * root.unit
                            anchors.verticalCenter: parent.verticalCenter
                            font.pixelSize: 60 * root.unit
                            color: root.brand
                        }
                        TapHandler { onTapped: vm.chooseService(serviceRow.code) }
                    }
                }
            }

            // ---------------------------------------------------------------- service detail
            ColumnLayout {
                spacing: 18 * root.unit
                RowLayout {
                    spacing: 24 * root.unit
                    BigButton { objectName: "backFromService"; text: "‹ " + root.t("kiosk_back"); onClicked: vm.goBack() }
                    Label2 {
                        objectName: "serviceName"
                        text: vm.service.name || ""
                        font.pixelSize: 36 * root.unit
                        font.bold: true
                        Layout.fillWidth: true
                    }
                }
                Label2 {
                    objectName: "serviceStatus"
                    text: (vm.service.canIssue ? "✓ " : "✕ ") + (vm.service.status || "")
                    font.bold: true
                    color: vm.service.canIssue ? root.go : "#8A1C1C"
                    Layout.fillWidth: true
                }
                GridLayout {
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    columns: root.portrait ? 1 : 2
                    columnSpacing: 32 * root.unit
                    rowSpacing: 18 * root.unit
                    Flickable {
                        objectName: "standardScroll"
                        Layout.fillWidth: true
                        Layout.fillHeight: true
                        Layout.preferredWidth: root.width * 0.55
                        clip: true
                        contentHeight: standardColumn.implicitHeight
                        // every citizen opens the standard at its top, not where the last one left it
                        property string openedOn: vm.screen + "/" + (vm.service.code || "")
                        onOpenedOnChanged: contentY = 0
                        ScrollBar.vertical: ScrollBar { policy: ScrollBar.AlwaysOn; visible: parent.contentHeight > parent.height }
                        ColumnLayout {
                            id: standardColumn
                            width: parent.width
                            spacing: 14 * root.unit
                            Label2 {  // said, so an English reader knows why the texts below are not
                                objectName: "untranslatedNote"
                                visible: !!vm.service.untranslated
                                text: "ⓘ " + root.t("standard_untranslated")
                                color: root.muted
                                font.italic: true
                                Layout.fillWidth: true
                            }
                            Repeater {
                                model: [
                                    ["kiosk_requirements", (vm.service.requirements || []).map(function (r) { return "•  " + r }).join("\n")],
                                    ["kiosk_procedure", vm.service.procedure || ""],
                                    ["kiosk_completion", vm.service.completion || ""],
                                    ["kiosk_fee", vm.service.fee || ""],
                                    ["kiosk_product", vm.service.product || ""],
                                    ["kiosk_complaints", vm.service.complaints || ""]
                                ]
                                delegate: Rectangle {
                                    required property var modelData
                                    Layout.fillWidth: true
                                    implicitHeight: section.implicitHeight + 28 * root.unit
                                    radius: 12 * root.unit
                                    color: "white"
                                    ColumnLayout {
                                        id: section
                                        anchors.fill: parent
                                        anchors.margins: 14 * root.unit
                                        Label2 { text: root.t(modelData[0]); font.bold: true; color: root.brand; Layout.fillWidth: true }
                                        Label2 { text: modelData[1]; Layout.fillWidth: true }
                                    }
                                }
                            }
                        }
                    }
                    ColumnLayout {
                        Layout.fillWidth: true
                        Layout.preferredWidth: root.portrait ? -1 : root.width * 0.36
                        Layout.maximumWidth: root.portrait ? root.width : root.width * 0.36
                        Layout.alignment: Qt.AlignTop
                        spacing: 18 * root.unit
                        BigButton {
                            objectName: "takeTicket"
                            Layout.fillWidth: true
                            implicitHeight: 130 * root.unit
                            font.pixelSize: 40 * root.unit
                            tone: root.go
                            text: root.t("kiosk_take_ticket")
                            enabled: vm.service.canIssue === true && !vm.busy
                            onClicked: vm.takeTicket("")
                        }
                        ColumnLayout {
                            visible: vm.service.priorityAllowed === true
                            Layout.fillWidth: true
                            spacing: 8 * root.unit
                            Label2 { text: "♿ " + root.t("kiosk_priority_title"); font.bold: true; Layout.fillWidth: true }
                            GridLayout {
                                columns: 2
                                Layout.fillWidth: true
                                columnSpacing: 12 * root.unit
                                rowSpacing: 12 * root.unit
                                Repeater {
                                    model: ["elderly", "disability", "pregnant", "child"]
                                    BigButton {
                                        required property string modelData
                                        objectName: "priority_" + modelData
                                        Layout.fillWidth: true
                                        tone: "#7A3E00"
                                        text: root.t("kiosk_priority_" + modelData)
                                        enabled: vm.service.canIssue === true && !vm.busy
                                        onClicked: vm.takeTicket(modelData)
                                    }
                                }
                            }
                            Label2 { text: root.t("kiosk_priority_note"); color: root.muted; font.pixelSize: 24 * root.unit; Layout.fillWidth: true }
                        }
                        Label2 {
                            objectName: "refusal"
                            visible: vm.message !== ""
                            text: "✕ " + vm.message
                            color: "#8A1C1C"
                            font.bold: true
                            Layout.fillWidth: true
                        }
                    }
                }
            }

            // ---------------------------------------------------------------- the ticket
            // standing, one column; lying (a 1920x1080 screen), the number and what it means
            // beside the QR and the way out, so that nothing falls below the screen
            ColumnLayout {
                Item { Layout.fillHeight: true }
                GridLayout {
                    columns: root.portrait ? 1 : 2
                    columnSpacing: 64 * root.unit
                    rowSpacing: 16 * root.unit
                    Layout.alignment: Qt.AlignHCenter
                    Layout.maximumWidth: root.width - 64 * root.unit
                    ColumnLayout {
                        spacing: 16 * root.unit
                        Layout.alignment: Qt.AlignVCenter
                        Layout.fillWidth: true
                        Layout.maximumWidth: root.portrait ? root.width : root.width * 0.55
                        Label2 { text: root.t("kiosk_your_number"); Layout.alignment: Qt.AlignHCenter; font.pixelSize: 36 * root.unit }
                        Text {
                            objectName: "ticketNumber"
                            text: vm.ticket.number || ""
                            font.pixelSize: 220 * root.unit
                            font.bold: true
                            color: root.brand
                            Layout.alignment: Qt.AlignHCenter
                        }
                        Rectangle {
                            visible: vm.ticket.priority === true
                            Layout.alignment: Qt.AlignHCenter
                            implicitWidth: priorityText.implicitWidth + 48 * root.unit
                            implicitHeight: priorityText.implicitHeight + 16 * root.unit
                            color: root.ink
                            radius: 8 * root.unit
                            Text {
                                id: priorityText
                                anchors.centerIn: parent
                                text: "♿ " + root.t("ticket_priority")
                                color: "white"
                                font.pixelSize: 34 * root.unit
                                font.bold: true
                            }
                        }
                        Label2 { text: vm.ticket.service || ""; font.bold: true; font.pixelSize: 32 * root.unit; Layout.alignment: Qt.AlignHCenter; horizontalAlignment: Text.AlignHCenter; Layout.fillWidth: true }
                        Label2 { text: vm.ticket.ahead || ""; Layout.alignment: Qt.AlignHCenter }
                        Label2 { text: vm.ticket.estimate || ""; Layout.alignment: Qt.AlignHCenter }
                        Label2 {
                            objectName: "ticketAppointment"
                            visible: !!vm.ticket.appointment
                            text: vm.ticket.appointment || ""
                            font.bold: true
                            color: "#5B3A8C"
                            horizontalAlignment: Text.AlignHCenter
                            Layout.fillWidth: true
                        }
                    }
                    ColumnLayout {
                        spacing: 16 * root.unit
                        Layout.alignment: Qt.AlignVCenter
                        Layout.fillWidth: root.portrait
                        Image {
                            objectName: "ticketQr"
                            source: vm.ticket.qr ? "image://qr/" + encodeURIComponent(vm.ticket.qr) : ""
                            Layout.preferredWidth: 260 * root.unit
                            Layout.preferredHeight: 260 * root.unit
                            Layout.alignment: Qt.AlignHCenter
                            fillMode: Image.PreserveAspectFit
                            smooth: false
                        }
                        Label2 {
                            objectName: "printState"
                            text: vm.ticket.printText || ""
                            font.bold: true
                            color: vm.ticket.printState === "failed" ? "#8A1C1C" : root.ink
                            horizontalAlignment: Text.AlignHCenter
                            Layout.fillWidth: true
                        }
                        RowLayout {
                            Layout.alignment: Qt.AlignHCenter
                            spacing: 24 * root.unit
                            BigButton {
                                objectName: "reprint"
                                visible: vm.ticket.printState === "failed"
                                text: root.t("kiosk_reprint")
                                tone: "#7A3E00"
                                onClicked: vm.reprint()
                            }
                            BigButton { objectName: "done"; text: root.t("kiosk_done"); onClicked: vm.goHome() }
                        }
                    }
                }
                Item { Layout.fillHeight: true }
            }

            // ---------------------------------------------------------------- database lost
            ColumnLayout {
                Item { Layout.fillHeight: true }
                BusyIndicator { running: vm.screen === "unavailable"; Layout.preferredWidth: 160 * root.unit; Layout.preferredHeight: 160 * root.unit; Layout.alignment: Qt.AlignHCenter }
                Label2 {
                    objectName: "unavailable"
                    text: root.t("kiosk_unavailable")
                    font.pixelSize: 48 * root.unit
                    font.bold: true
                    horizontalAlignment: Text.AlignHCenter
                    Layout.fillWidth: true
                }
                Label2 { text: root.t("kiosk_unavailable_detail"); horizontalAlignment: Text.AlignHCenter; Layout.fillWidth: true }
                Item { Layout.fillHeight: true }
            }

            // ---------------------------------------------------------------- appointment check-in
            ColumnLayout {
                spacing: 22 * root.unit
                RowLayout {
                    spacing: 24 * root.unit
                    BigButton { objectName: "backFromCheckin"; text: "‹ " + root.t("kiosk_back"); onClicked: vm.goBack() }
                    Label2 { text: root.t("kiosk_checkin_title"); font.pixelSize: 36 * root.unit; font.bold: true; Layout.fillWidth: true }
                }
                Label2 { text: root.t("kiosk_checkin_hint"); color: root.muted; Layout.fillWidth: true }
                Rectangle {
                    Layout.fillWidth: true
                    Layout.maximumWidth: 760 * root.unit
                    Layout.alignment: Qt.AlignHCenter
                    implicitHeight: (root.portrait ? 150 : 120) * root.unit
                    radius: 16 * root.unit
                    color: "white"
                    border.color: root.brand
                    border.width: 4 * root.unit
                    Text {
                        objectName: "checkinCode"
                        anchors.centerIn: parent
                        text: vm.checkinCode || "····-····"
                        color: vm.checkinCode ? root.ink : "#9AA0A6"
                        font.pixelSize: 88 * root.unit
                        font.bold: true
                        font.family: "DejaVu Sans Mono"
                    }
                }
                Label2 {
                    objectName: "checkinMessage"
                    visible: vm.message !== ""
                    text: "✕ " + vm.message
                    color: "#8A1C1C"
                    font.bold: true
                    horizontalAlignment: Text.AlignHCenter
                    Layout.fillWidth: true
                }
                BigButton {
                    objectName: "takeOrdinary"
                    visible: vm.checkinLate
                    Layout.alignment: Qt.AlignHCenter
                    tone: root.go
                    text: root.t("kiosk_take_ordinary")
                    onClicked: vm.takeOrdinary()
                }
                GridLayout {
                    objectName: "codeKeyboard"
                    Layout.alignment: Qt.AlignHCenter
                    columns: root.portrait ? 8 : 10  // 30 keys: 4 rows standing, 3 lying
                    columnSpacing: 12 * root.unit
                    rowSpacing: 12 * root.unit
                    Repeater {
                        model: vm.codeKeys
                        BigButton {
                            required property string modelData
                            objectName: "key_" + modelData
                            text: modelData
                            implicitWidth: Math.min(112 * root.unit, (root.width - 200 * root.unit) / 10)
                            implicitHeight: implicitWidth
                            font.pixelSize: 40 * root.unit
                            enabled: !vm.busy
                            onClicked: vm.typeKey(modelData)
                        }
                    }
                }
                RowLayout {
                    Layout.alignment: Qt.AlignHCenter
                    spacing: 24 * root.unit
                    BigButton { objectName: "eraseKey"; text: "⌫ " + root.t("kiosk_erase"); tone: "#4B5563"; onClicked: vm.eraseKey() }
                    BigButton {
                        objectName: "submitCode"
                        text: root.t("kiosk_checkin_ok")
                        tone: root.go
                        implicitWidth: 420 * root.unit
                        enabled: vm.checkinCode !== "" && !vm.busy && !vm.issuingBlocked
                        onClicked: vm.submitCode()
                    }
                }
                Item { Layout.fillHeight: true }
            }
        }
    }

    // while a ticket is being issued: one tap, one ticket
    Rectangle {
        anchors.fill: parent
        visible: vm.busy
        color: "#80FFFFFF"
        TapHandler {}
        BusyIndicator { anchors.centerIn: parent; running: vm.busy; width: 160 * root.unit; height: width }
    }

    // the admin PIN pad (after a 3-second press on the site name)
    Rectangle {
        objectName: "pinPad"
        anchors.fill: parent
        visible: vm.pinVisible
        color: "#E6000000"
        TapHandler {}
        ColumnLayout {
            anchors.centerIn: parent
            spacing: 16 * root.unit
            Text { text: root.t("kiosk_admin_pin"); color: "white"; font.pixelSize: 36 * root.unit; Layout.alignment: Qt.AlignHCenter }
            TextField {
                id: pin
                objectName: "pinField"
                echoMode: TextInput.Password
                font.pixelSize: 40 * root.unit
                Layout.preferredWidth: 420 * root.unit
                inputMethodHints: Qt.ImhDigitsOnly
            }
            Text { text: vm.message; color: "#FFB4B4"; font.pixelSize: 26 * root.unit; Layout.alignment: Qt.AlignHCenter }
            GridLayout {
                columns: 3
                Layout.alignment: Qt.AlignHCenter
                Repeater {
                    model: ["1", "2", "3", "4", "5", "6", "7", "8", "9", "⌫", "0", "OK"]
                    BigButton {
                        required property string modelData
                        text: modelData
                        implicitWidth: 130 * root.unit
                        onClicked: {
                            if (modelData === "OK") { vm.checkPin(pin.text); pin.text = "" }
                            else if (modelData === "⌫") pin.text = pin.text.slice(0, -1)
                            else pin.text += modelData
                        }
                    }
                }
            }
            BigButton { text: root.t("kiosk_cancel"); Layout.alignment: Qt.AlignHCenter; onClicked: { pin.text = ""; vm.cancelPin() } }
        }
    }
}
