"""The translation layer: every user-visible string, Bahasa Indonesia first, English second."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final, Literal

from shared.domain.estimate import WaitEstimate

Lang = Literal["id", "en"]
LANGS: Final[tuple[Lang, ...]] = ("id", "en")
DEFAULT_LANG: Final[Lang] = "id"


@dataclass(frozen=True, slots=True)
class LocalText:
    """A text in both languages of the product."""

    id: str
    en: str

    def get(self, lang: Lang) -> str:
        """The text in `lang`; Bahasa Indonesia where no English was given."""
        return self.en if lang == "en" and self.en else self.id

    def lacks(self, lang: Lang) -> bool:
        """Whether `get(lang)` falls back to Bahasa Indonesia for want of an English text."""
        return lang == "en" and bool(self.id) and not self.en


def as_lang(value: str | None) -> Lang:
    """Map a language setting ("en", "en_US.UTF-8", "id") to a supported language."""
    return "en" if (value or "").lower().startswith("en") else "id"


def env_lang() -> Lang:
    """The language for terminal output: ANTRIAN_LANG, else Bahasa Indonesia."""
    return as_lang(os.environ.get("ANTRIAN_LANG", DEFAULT_LANG))


# key -> (Bahasa Indonesia, English); str.format placeholders.
MESSAGES: Final[dict[str, tuple[str, str]]] = {
    # queue engine errors
    "unknown_service": ("Layanan tidak dikenal: {service}", "Unknown service: {service}"),
    "inactive_service": ("Layanan {service} tidak aktif", "Service {service} is not active"),
    "service_closed": (
        "Layanan {service} sedang tutup",
        "Service {service} is closed now",
    ),
    "service_closed_until": (
        "Layanan {service} sedang tutup; buka {when}",
        "Service {service} is closed now; opens {when}",
    ),
    "issuing_ended": (
        "Pengambilan nomor untuk layanan {service} sudah berakhir hari ini",
        "Ticket issuing for service {service} has ended for today",
    ),
    "quota_reached": (
        "Kuota harian layanan {service} ({quota}) sudah habis",
        "The daily quota of service {service} ({quota}) has been reached",
    ),
    "priority_not_allowed": (
        "Layanan {service} tidak menyediakan antrian prioritas",
        "Service {service} does not offer priority tickets",
    ),
    "unknown_counter": ("Loket tidak dikenal: {counter}", "Unknown counter: {counter}"),
    "unknown_zone": (
        "Zona tidak dikenal: {zone} (lihat `antrian site show`)",
        "Unknown zone: {zone} (see `antrian site show`)",
    ),
    "counter_not_open": (
        "Loket {counter} sedang {state}; buka loket dahulu",
        "Counter {counter} is {state}; open it first",
    ),
    "counter_busy": (
        "Loket {counter} masih melayani {number}; selesaikan dahulu",
        "Counter {counter} is still serving {number}; finish it first",
    ),
    "no_current_ticket": (
        "Loket {counter} tidak sedang memanggil atau melayani nomor mana pun",
        "Counter {counter} is not calling or serving any ticket",
    ),
    "invalid_action": (
        "Nomor {number} berstatus {state}; tindakan '{action}' tidak dapat dilakukan",
        "Ticket {number} is {state}; '{action}' is not possible",
    ),
    "ticket_changed": (
        "Nomor {number} baru saja diubah di tempat lain; tampilan dimuat ulang",
        "Ticket {number} was just changed elsewhere; the view is refreshed",
    ),
    "ticket_not_found": (
        "Nomor {number} tidak ditemukan hari ini",
        "Ticket {number} was not found today",
    ),
    "ticket_not_callable": (
        "Nomor {number} berstatus {state} dan tidak dapat dipanggil",
        "Ticket {number} is {state} and cannot be called",
    ),
    "ticket_held_elsewhere": (
        "Nomor {number} sedang ditangani loket {counter}",
        "Ticket {number} is being handled by counter {counter}",
    ),
    "ticket_not_for_counter": (
        "Nomor {number} ({service}) tidak dilayani di loket {counter}",
        "Ticket {number} ({service}) is not served at counter {counter}",
    ),
    "transfer_same_service": (
        "Nomor {number} sudah berada di layanan {service}",
        "Ticket {number} is already in service {service}",
    ),
    "bad_source": (
        "Sumber tiket tidak sah: {source} (kiosk, appointment, walk_in)",
        "Not a valid ticket source: {source} (kiosk, appointment, walk_in)",
    ),
    "bad_number": ("Nomor antrian tidak sah: {number}", "Not a valid ticket number: {number}"),
    "unknown_user": ("Pengguna tidak dikenal: {username}", "Unknown user: {username}"),
    "user_exists": ("Pengguna {username} sudah ada", "User {username} already exists"),
    "bad_username": (
        "Nama pengguna tidak sah: '{username}' (2-32 huruf, angka, titik, garis bawah atau "
        "tanda hubung, diawali huruf atau angka)",
        "Not a valid username: '{username}' (2-32 letters, digits, dots, underscores or "
        "hyphens, starting with a letter or digit)",
    ),
    "bad_display_name": (
        "Nama tampilan paling banyak {limit} karakter, tanpa karakter kendali",
        "A display name has at most {limit} characters and no control characters",
    ),
    "bad_password_length": (
        "Kata sandi tidak boleh kosong dan paling banyak {limit} karakter",
        "A password must not be empty and has at most {limit} characters",
    ),
    "last_admin": (
        "Ini admin aktif terakhir: jadikan akun lain admin dulu",
        "This is the last active admin: make another account an admin first",
    ),
    "report_bad_grouping": (
        "Pengelompokan tidak dikenal: {by} (pilih {choices})",
        "Unknown grouping: {by} (choose {choices})",
    ),
    "report_bad_range": (
        "Rentang tanggal tidak sah: 'dari' tidak boleh sesudah 'sampai', paling lama {max} hari",
        "Not a valid date range: 'from' must not be after 'to', at most {max} days",
    ),
    "unknown_agency": ("Instansi tidak dikenal: {agency}", "Unknown agency: {agency}"),
    "not_your_agency": (
        "Akun ini tidak bertugas di instansi {counter}",
        "This account does not work for the agency of {counter}",
    ),
    "counter_taken_elsewhere": (
        "Sesi di loket ini berakhir: akun Anda masuk di loket lain, atau loket ditutup "
        "dari tempat lain",
        "Your session at this counter ended: your account logged in at another counter, "
        "or the counter was closed elsewhere",
    ),
    "login_locked": (
        "Terlalu banyak percobaan yang salah. Coba lagi dalam {seconds} detik.",
        "Too many wrong attempts. Try again in {seconds} seconds.",
    ),
    "wrong_password": (
        "Nama pengguna atau kata sandi salah",
        "Wrong username or password",
    ),
    "weak_password": (
        "Kata sandi minimal {min} karakter",
        "The password needs at least {min} characters",
    ),
    "bad_role": (
        "Peran tidak dikenal: {role} (pilih admin, supervisor, agency_supervisor, "
        "complaint_officer atau staff)",
        "Unknown role: {role} (choose admin, supervisor, agency_supervisor, "
        "complaint_officer or staff)",
    ),
    # database
    "db_not_initialised": (
        "Basis data belum disiapkan: jalankan `antrian db upgrade`",
        "The database is not set up: run `antrian db upgrade`",
    ),
    "db_schema_old": (
        "Skema basis data ({found}) lebih lama dari aplikasi ({expected}): "
        "jalankan `antrian db upgrade`",
        "The database schema ({found}) is older than the software ({expected}): "
        "run `antrian db upgrade`",
    ),
    "db_schema_new": (
        "Skema basis data ({found}) lebih baru dari aplikasi ({expected}): "
        "perbarui Antrian di PC ini",
        "The database schema ({found}) is newer than the software ({expected}): "
        "update Antrian on this PC",
    ),
    "service_no_config": (
        "Berkas pengaturan tidak ada: {path}",
        "The settings file does not exist: {path}",
    ),
    "service_no_user": ("Akun tidak ada di PC ini: {user}", "No such account on this PC: {user}"),
    "apps_extra_missing": (
        "{app} butuh Qt, yang tidak terpasang di sini: pip install 'antrian-mpp[apps]' "
        "(demo tanpa jendela: antrian demo --no-apps)",
        "{app} needs Qt, which is not installed here: pip install 'antrian-mpp[apps]' "
        "(the demo without windows: antrian demo --no-apps)",
    ),
    "db_no_database": (
        "Basis data itu tidak ada di server (periksa nama di alamatnya): {detail}",
        "The server has no such database (check the name in the URL): {detail}",
    ),
    "db_login_refused": (
        "Server basis data menolak login (periksa pengguna dan kata sandi): {detail}",
        "The database server refused the login (check user and password): {detail}",
    ),
    "db_not_sqlite": (
        "Berkas itu bukan basis data SQLite: {detail}",
        "That file is not a SQLite database: {detail}",
    ),
    "db_corrupt": (
        "Berkas basis data rusak; pulihkan dari cadangan: {detail}",
        "The database file is damaged; restore it from a backup: {detail}",
    ),
    "db_is_folder": (
        "Alamat basis data menunjuk ke folder, bukan berkas: {path}",
        "The database URL points at a folder, not a file: {path}",
    ),
    "db_no_file": (
        "Berkas basis data belum ada: {path}; buat dengan `antrian db upgrade`",
        "The database file does not exist: {path}; create it with `antrian db upgrade`",
    ),
    "db_unavailable": (
        "Basis data tidak dapat dihubungi: {detail}",
        "The database cannot be reached: {detail}",
    ),
    "bad_db_url": ("Alamat basis data tidak sah: {url}", "Not a valid database URL: {url}"),
    "no_site": (
        "Situs belum dimuat: jalankan `antrian site load FILE`",
        "No site is loaded: run `antrian site load FILE`",
    ),
    "bad_now": (
        "ANTRIAN_NOW tidak sah: {value} (contoh 2026-11-30T08:00)",
        "ANTRIAN_NOW is not valid: {value} (example 2026-11-30T08:00)",
    ),
    # site file
    "site_file_error": ("{path}:{line}: {detail}", "{path}:{line}: {detail}"),
    "site_file_unreadable": (
        "Berkas pengaturan tidak dapat dibaca: {path}: {detail}",
        "Cannot read the settings file: {path}: {detail}",
    ),
    "site_unknown_key": (
        "kunci tidak dikenal '{key}' di {table}",
        "unknown key '{key}' in {table}",
    ),
    "site_missing_key": (
        "kunci wajib '{key}' tidak ada di {table}",
        "required key '{key}' is missing in {table}",
    ),
    "site_wrong_type": ("'{key}' harus berupa {expected}", "'{key}' must be {expected_en}"),
    "site_duplicate": (
        "kode '{code}' dipakai dua kali di {table} (pertama di baris {first})",
        "code '{code}' is used twice in {table} (first on line {first})",
    ),
    "site_unknown_ref": (
        "'{key}' menyebut {what} '{code}' yang tidak ada",
        "'{key}' names the {what_en} '{code}', which does not exist",
    ),
    "site_bad_public_url": (
        "public_url harus alamat dasar http(s) seperti https://antrian.contoh.go.id: {value}",
        "public_url must be a base http(s) address such as https://antrian.example.go.id: {value}",
    ),
    "password_needs_terminal": (
        "Ketik kata sandi di terminal, atau berikan lewat stdin dengan --password-stdin",
        "Type the password at a terminal, or give it on stdin with --password-stdin",
    ),
    "site_break_needs_window": (
        'break_minutes perlu break_window, mis. break_window = "11:30-13:00"',
        'break_minutes needs break_window, e.g. break_window = "11:30-13:00"',
    ),
    "site_tracking_url_renamed": (
        "tracking_url diganti public_url: tulis alamat dasar server web, "
        'mis. public_url = "https://antrian.contoh.go.id"',
        "tracking_url is replaced by public_url: give the web server's base address, "
        'e.g. public_url = "https://antrian.example.go.id"',
    ),
    "site_bad_value": ("nilai '{key}' tidak sah: {value}", "'{key}' has a bad value: {value}"),
    "site_bad_hours": (
        "jam '{key}' tidak sah: {value} (buka < tiket terakhir <= tutup, HH:MM)",
        "bad hours '{key}': {value} (open < last ticket <= close, HH:MM)",
    ),
    "site_bad_days": (
        "'{key}' bukan hari atau rentang hari (mon..sun, contoh mon-thu)",
        "'{key}' is not a weekday or range of weekdays (mon..sun, e.g. mon-thu)",
    ),
    "site_days_twice": (
        "hari {day} disebut dua kali di {table}",
        "weekday {day} is given twice in {table}",
    ),
    "site_bad_syntax": ("sintaks TOML salah: {detail}", "TOML syntax error: {detail}"),
    "site_too_deep": (
        "sintaks TOML salah: daftar atau tabel bersarang terlalu dalam",
        "TOML syntax error: arrays or tables nested too deeply",
    ),
    "site_out_of_range": (
        "'{key}' harus antara {low} dan {high}, bukan {value}",
        "'{key}' must be between {low} and {high}, not {value}",
    ),
    "site_too_long": (
        "'{key}' terlalu panjang: {length} karakter, paling banyak {limit}",
        "'{key}' is too long: {length} characters, at most {limit}",
    ),
    "site_too_many": (
        "'{key}' punya terlalu banyak isi: {count}, paling banyak {limit}",
        "'{key}' has too many items: {count}, at most {limit}",
    ),
    "site_control_char": (
        "'{key}' memuat karakter kendali (mis. NUL); hapus karakter itu",
        "'{key}' holds a control character (e.g. NUL); remove it",
    ),
    "site_counter_number_twice": (
        "nomor loket '{number}' dipakai dua kali (juga di baris {first}): "
        "layar dan suara akan memanggil dua loket yang berbeda dengan nama sama",
        "counter number '{number}' is used twice (also on line {first}): "
        "the board and the voice would call two different counters by one name",
    ),
    "site_length_mismatch": (
        "'{key}' harus sama panjang dengan '{other}'",
        "'{key}' must have as many items as '{other}'",
    ),
    "site_no_hours": (
        "layanan tidak punya jam buka: tulis 'hours' di layanan, instansinya atau [site]",
        "the service has no opening hours: set 'hours' on it, its agency or [site]",
    ),
    # counter states and ticket states, for messages and screens
    "state_open": ("buka", "open"),
    "state_paused": ("istirahat", "paused"),
    "state_closed": ("tutup", "closed"),
    "ticket_waiting": ("menunggu", "waiting"),
    "ticket_called": ("dipanggil", "called"),
    "ticket_serving": ("dilayani", "being served"),
    "ticket_done": ("selesai", "done"),
    "ticket_no_show": ("tidak hadir", "no-show"),
    "ticket_transferred": ("dialihkan", "transferred"),
    "ticket_cancelled": ("dibatalkan", "cancelled"),
    "ticket_expired": ("kedaluwarsa", "expired"),
    "weekday_0": ("Senin", "Monday"),
    "weekday_1": ("Selasa", "Tuesday"),
    "weekday_2": ("Rabu", "Wednesday"),
    "weekday_3": ("Kamis", "Thursday"),
    "weekday_4": ("Jumat", "Friday"),
    "weekday_5": ("Sabtu", "Saturday"),
    "weekday_6": ("Minggu", "Sunday"),
    "today_at": ("hari ini pukul {time}", "today at {time}"),
    "weekday_at": ("{weekday} pukul {time}", "{weekday} at {time}"),
    "fee_free": ("Gratis", "Free"),
    # the printed ticket
    "ticket_heading": ("NOMOR ANTRIAN", "QUEUE NUMBER"),
    "ticket_priority": ("PRIORITAS", "PRIORITY"),
    "ticket_ahead": ("Di depan Anda: {n} orang", "People ahead of you: {n}"),
    "ticket_wait": ("Perkiraan tunggu: {wait}", "Estimated wait: {wait}"),
    "ticket_standard": ("Biaya: {fee} | Waktu: {time}", "Fee: {fee} | Time: {time}"),
    "ticket_keep": (
        "Simpan tiket ini sampai layanan selesai",
        "Keep this ticket until you are served",
    ),
    "ticket_complaints": (
        "Pengaduan: SP4N-LAPOR! lapor.go.id",
        "Complaints: SP4N-LAPOR! lapor.go.id",
    ),
    # printers
    "printer_offline": ("Printer tiket tidak tersambung", "The ticket printer is offline"),
    "printer_paper_out": ("Kertas printer tiket habis", "The ticket printer is out of paper"),
    "printer_cover_open": ("Tutup printer tiket terbuka", "The ticket printer's cover is open"),
    "printer_timeout": (
        "Printer tiket tidak menjawab dalam {seconds} detik",
        "The ticket printer did not answer within {seconds} seconds",
    ),
    "printer_not_found": (
        "Printer tiket tidak ditemukan: {spec}",
        "Ticket printer not found: {spec}",
    ),
    "printer_busy": (
        "Printer tiket sedang dipakai program lain: {spec}",
        "The ticket printer is held by another program: {spec}",
    ),
    "printer_failed": ("Gagal mencetak: {detail}", "Printing failed: {detail}"),
    "printer_bad_spec": (
        "Pengaturan printer tidak sah: {spec} ({detail})",
        "Not a valid printer setting: {spec} ({detail})",
    ),
    # call buttons
    "button_bad_protocol": (
        "Protokol tombol tidak dikenal: {name} (lines atau keymap)",
        "Unknown button protocol: {name} (lines or keymap)",
    ),
    "button_bad_pattern": (
        "Pola tombol tidak sah: {detail}",
        "Not a valid button pattern: {detail}",
    ),
    "button_bad_keymap": (
        "Tabel tombol tidak sah: {detail}",
        "Not a valid button keymap: {detail}",
    ),
    # the day simulator
    "sim_bad_arrivals": (
        "Profil kedatangan tidak sah: {value} (morning, flat, atau mis. 8=10,9=25)",
        "Not a valid arrivals profile: {value} (morning, flat, or e.g. 8=10,9=25)",
    ),
    "sim_bad_counters": (
        "Jumlah loket tidak sah: {value} (contoh DUKCAPIL=4,SAMSAT=2)",
        "Not a valid counters setting: {value} (e.g. DUKCAPIL=4,SAMSAT=2)",
    ),
    "sim_unknown_agency": ("Instansi tidak dikenal: {agency}", "Unknown agency: {agency}"),
    "sim_no_counter_to_copy": (
        "Instansi {agency} tidak punya loket untuk ditiru",
        "Agency {agency} has no counter to copy",
    ),
    "sim_nothing_to_serve": (
        "Tidak ada loket aktif yang melayani layanan apa pun",
        "No active counter serves any service",
    ),
    "sim_bad_value": ("Nilai {name} tidak sah: {value}", "Not a valid {name}: {value}"),
    "sim_broken": (
        "Simulasi menemukan {count} pelanggaran jaminan antrian",
        "The simulation found {count} broken queue guarantees",
    ),
    # kiosk
    "kiosk_choose_agency": ("Pilih instansi", "Choose an agency"),
    "kiosk_choose_service": ("Pilih layanan", "Choose a service"),
    "kiosk_waiting": ("{n} menunggu", "{n} waiting"),
    "kiosk_wait": ("tunggu {wait}", "wait {wait}"),
    "kiosk_open": ("Buka", "Open"),
    "kiosk_closed_until": ("Tutup · buka {when}", "Closed · opens {when}"),
    "kiosk_closed": ("Tutup hari ini", "Closed today"),
    "kiosk_quota_reached": ("Kuota hari ini habis", "Today's quota is reached"),
    "kiosk_issuing_ended": (
        "Pengambilan nomor hari ini sudah berakhir",
        "Ticket issuing has ended for today",
    ),
    "kiosk_requirements": ("Persyaratan", "Requirements"),
    "standard_untranslated": (
        "Standar layanan ini hanya diterbitkan dalam Bahasa Indonesia",
        "This service's standard is published in Bahasa Indonesia only; shown as published",
    ),
    "kiosk_procedure": ("Prosedur", "Procedure"),
    "kiosk_completion": ("Jangka waktu penyelesaian", "Completion time"),
    "kiosk_fee": ("Biaya / tarif", "Fee"),
    "kiosk_product": ("Produk layanan", "What you receive"),
    "kiosk_complaints": ("Pengaduan, saran dan masukan", "Complaints and suggestions"),
    "kiosk_take_ticket": ("Ambil Nomor Antrian", "Take a Queue Number"),
    "kiosk_priority_title": (
        "Antrian prioritas (gratis) untuk:",
        "Priority queue (free of charge) for:",
    ),
    "kiosk_priority_elderly": ("Lansia (60+)", "Elderly (60+)"),
    "kiosk_priority_disability": ("Penyandang disabilitas", "Person with a disability"),
    "kiosk_priority_pregnant": ("Ibu hamil", "Pregnant woman"),
    "kiosk_priority_child": ("Anak", "Child"),
    "kiosk_priority_note": (
        "Hanya untuk kelompok tersebut. Petugas dapat meminta bukti.",
        "Only for these groups. Staff may ask for proof.",
    ),
    "kiosk_your_number": ("Nomor antrian Anda", "Your queue number"),
    "kiosk_ahead": ("{n} orang di depan Anda", "{n} people ahead of you"),
    "kiosk_estimate": ("Perkiraan waktu tunggu: {wait}", "Estimated wait: {wait}"),
    "kiosk_printing": ("Mencetak...", "Printing..."),
    "kiosk_printed": ("Silakan ambil tiket Anda", "Please take your ticket"),
    "kiosk_print_failed": (
        "Tiket gagal dicetak. Nomor Anda tetap berlaku.",
        "The ticket could not be printed. Your number is still valid.",
    ),
    "kiosk_screen_only": (
        "Printer sedang bermasalah: catat atau foto nomor Anda.",
        "The printer is not working: note or photograph your number.",
    ),
    "kiosk_reprint": ("Cetak Ulang", "Print Again"),
    "kiosk_done": ("Selesai", "Done"),
    "kiosk_have_appointment": (
        "Sudah punya janji? Pindai atau ketik kode janji",
        "Have an appointment? Scan or type its code",
    ),
    "kiosk_checkin_title": ("Janji temu", "Appointment"),
    "kiosk_checkin_hint": (
        "Dekatkan kode QR janji Anda ke pemindai, atau ketik kodenya di bawah ini.",
        "Hold your booking's QR code to the scanner, or type its code below.",
    ),
    "kiosk_checkin_ok": ("Ambil Nomor", "Get my number"),
    "kiosk_erase": ("Hapus", "Delete"),
    "kiosk_take_ordinary": ("Ambil nomor antrian biasa", "Take an ordinary ticket"),
    "kiosk_appointment_at": (
        "Janji temu pukul {time}: Anda dipanggil sesuai jam janji",
        "Appointment at {time}: you are called at your booked time",
    ),
    "kiosk_back": ("Kembali", "Back"),
    "kiosk_home": ("Beranda", "Home"),
    "kiosk_language": ("English", "Bahasa Indonesia"),
    "kiosk_unavailable": ("Layanan sementara tidak tersedia", "Service temporarily unavailable"),
    "kiosk_unavailable_detail": (
        "Mohon tunggu sebentar, sistem sedang menyambung kembali.",
        "Please wait a moment while the system reconnects.",
    ),
    "kiosk_printer_stopped": (
        "Printer tiket sedang bermasalah. Silakan hubungi petugas.",
        "The ticket printer has a problem. Please ask a staff member.",
    ),
    "kiosk_admin_pin": ("PIN admin", "Admin PIN"),
    "kiosk_wrong_pin": ("PIN salah", "Wrong PIN"),
    "kiosk_cancel": ("Batal", "Cancel"),
    # waiting-room display
    "display_calling": ("Nomor yang dipanggil", "Now calling"),
    "display_counter": ("Loket {number}", "Counter {number}"),
    "display_recent": ("Panggilan terakhir", "Recent calls"),
    "display_waiting": ("Menunggu", "Waiting"),
    "display_paused": ("Istirahat", "On break"),
    "display_closed": ("Tutup", "Closed"),
    "display_idle": ("—", "—"),
    "display_offline": ("Terputus: menyambung kembali...", "Offline: reconnecting..."),
    "display_quiet": ("Silakan menunggu panggilan", "Please wait to be called"),
    "display_go_to": ("silakan menuju", "please go to"),
    # counter app
    "counter_title": ("Loket Antrian", "Queue Counter"),
    "counter_username": ("Nama pengguna", "Username"),
    "counter_password": ("Kata sandi", "Password"),
    "counter_choose": ("Loket", "Counter"),
    "counter_login": ("Masuk", "Log in"),
    "counter_next": ("Panggil Berikutnya", "Call Next"),
    "counter_recall": ("Panggil Ulang", "Recall"),
    "counter_start": ("Mulai Layani", "Start Serving"),
    "counter_finish": ("Selesai", "Finish"),
    "counter_skip": ("Lewati", "No-show"),
    "counter_transfer": ("Alihkan", "Transfer"),
    "counter_specific": ("Panggil Nomor", "Call Number"),
    "counter_pause": ("Istirahat", "Break"),
    "counter_resume": ("Lanjut", "Resume"),
    "counter_logout": ("Keluar", "Log out"),
    "counter_compact": ("Ringkas", "Compact"),
    "counter_no_ticket": ("Belum ada nomor dipanggil", "No ticket called"),
    "counter_waited": ("menunggu {minutes} menit", "waited {minutes} min"),
    "counter_since_call": ("dipanggil {minutes} menit lalu", "called {minutes} min ago"),
    "counter_since_start": ("dilayani {minutes} menit", "serving for {minutes} min"),
    "counter_waiting_list": ("Antrian menunggu ({n})", "Waiting ({n})"),
    "counter_today": (
        "Hari ini: {served} dilayani · {no_shows} tidak hadir · rata-rata {avg} menit "
        "(standar {standard} menit)",
        "Today: {served} served · {no_shows} no-shows · average {avg} min "
        "(standard {standard} min)",
    ),
    "counter_offline": (
        "Basis data tidak terhubung: tombol dinonaktifkan sampai tersambung kembali",
        "Database offline: actions are disabled until it is back",
    ),
    "counter_buttons_lost": (
        "Tombol panggil terputus: menyambung kembali...",
        "Call-button receiver disconnected: reconnecting...",
    ),
    "counter_transfer_to": ("Alihkan ke layanan", "Transfer to service"),
    "counter_transfer_hint": (
        "Ketik untuk mencari, panah atas/bawah untuk memilih, Enter untuk mengalihkan",
        "Type to search, up/down to choose, Enter to transfer",
    ),
    "counter_transferred": (
        "{number} dialihkan ke {service} dan menunggu di sana",
        "{number} transferred to {service}, waiting there",
    ),
    "counter_cancel": ("Batal", "Cancel"),
    "counter_call": ("Panggil", "Call"),
    "counter_held_logout": (
        "Nomor {number} masih dilayani di loket ini. Selesaikan dulu sebelum keluar.",
        "Ticket {number} is still held at this counter. Finish it before logging out.",
    ),
    "counter_finish_logout": ("Selesai lalu Keluar", "Finish and Log out"),
    "counter_stay": ("Kembali Melayani", "Keep Serving"),
    "counter_group_ticket": ("Nomor ini", "This ticket"),
    "counter_group_more": ("Lainnya", "More"),
    "counter_state_open": ("Buka", "Open"),
    "counter_column_number": ("Nomor", "Number"),
    "counter_column_service": ("Layanan", "Service"),
    "counter_column_waited": ("Menunggu", "Waited"),
    "counter_minutes": ("{minutes} mnt", "{minutes} min"),
    "counter_search": ("Cari layanan", "Search services"),
    "counter_number_prompt": ("Nomor antrian (mis. A012)", "Ticket number (e.g. A012)"),
    "counter_paused_banner": ("Loket sedang istirahat", "The counter is on a break"),
    "nobody_waiting": ("Tidak ada antrian yang menunggu", "Nobody is waiting"),
    "recent_calls": ("Panggilan terakhir", "Recent calls"),
    "waiting_now": ("Menunggu", "Waiting"),
    "skm_bad_answers": (
        "Jawaban survei harus sembilan angka, masing-masing 1 sampai 4",
        "The survey needs nine answers, each 1 to 4",
    ),
    "skm_bad_profile": ("Isian profil tidak dikenal: {key}", "Unknown profile answer: {key}"),
    "skm_unknown_ticket": (
        "Nomor antrian {ticket} tidak ditemukan pada hari itu",
        "Ticket {ticket} was not found on that day",
    ),
    "skm_not_finished": (
        "Layanan nomor {ticket} belum selesai: survei diisi setelah selesai dilayani",
        "Ticket {ticket} has not been served yet: the survey comes after the visit",
    ),
    "skm_too_late": (
        "Survei untuk nomor {ticket} hanya dapat diisi pada hari kunjungan",
        "The survey of ticket {ticket} can only be answered on the day of the visit",
    ),
    "skm_already_answered": (
        "Survei untuk nomor {ticket} sudah diisi. Terima kasih.",
        "The survey of ticket {ticket} has already been answered. Thank you.",
    ),
    "skm_report_title": (
        "Survei Kepuasan Masyarakat (SKM), {start} s.d. {end}",
        "Community Satisfaction Survey (SKM), {start} to {end}",
    ),
    "skm_respondents": (
        "{n} responden dari {served} kunjungan selesai",
        "{n} respondents of {served} finished visits",
    ),
    "skm_too_few": (
        "Responden kurang dari sampel minimum {minimum} (Krejcie-Morgan): indeks belum mewakili",
        "Fewer respondents than the minimum sample of {minimum} (Krejcie-Morgan): "
        "the index does not yet represent the visits",
    ),
    "skm_index": (
        "IKM {ikm} ({grade}, {quality}); dengan bobot 0,111 peraturan: {regulation}",
        "IKM {ikm} ({grade}, {quality}); with the regulation's 0.111 weight: {regulation}",
    ),
    "skm_offer": (
        "Isi survei kepuasan (1 menit)",
        "Answer the satisfaction survey (1 minute)",
    ),
    "skm_title": ("Survei Kepuasan Masyarakat", "Satisfaction survey"),
    "web_ikm": (
        "Indeks Kepuasan Masyarakat 12 bulan terakhir: {ikm} ({n} responden)",
        "Satisfaction index over the last 12 months: {ikm} ({n} respondents)",
    ),
    "skm_intro": (
        "Bagaimana layanan {service} hari ini? Pilih satu jawaban untuk setiap pertanyaan. "
        "Jawaban Anda tidak mencantumkan nama.",
        "How was the {service} service today? Choose one answer to each question. "
        "Your answers carry no name.",
    ),
    "skm_profile": ("Tentang Anda (boleh dilewati)", "About you (optional)"),
    "skm_age_band": ("Usia", "Age"),
    "skm_sex": ("Jenis kelamin", "Sex"),
    "skm_education": ("Pendidikan", "Education"),
    "skm_occupation": ("Pekerjaan", "Occupation"),
    "skm_no_answer": ("Tidak diisi", "Not given"),
    "skm_suggestion": ("Saran dan masukan (boleh dilewati)", "Suggestions (optional)"),
    "skm_send": ("Kirim survei", "Send the survey"),
    "skm_missing": (
        "Belum semua pertanyaan dijawab: pilih satu jawaban untuk pertanyaan yang ditandai",
        "Not every question is answered yet: choose an answer for the marked ones",
    ),
    "skm_thanks_title": ("Terima kasih", "Thank you"),
    "skm_thanks": (
        "Jawaban Anda sudah tercatat dan membantu kami memperbaiki layanan.",
        "Your answers are recorded and help us improve the service.",
    ),
    "skm_cannot_title": ("Survei tidak tersedia", "Survey not available"),
    "complaint_bad_value": (
        "Nilai tidak dikenal untuk {key}: {value}",
        "Unknown value for {key}: {value}",
    ),
    "complaint_no_text": ("Isi pengaduan tidak boleh kosong", "The complaint needs a text"),
    "complaint_unknown": (
        "Pengaduan dengan kode {reference} tidak ditemukan",
        "No complaint has the reference {reference}",
    ),
    "complaint_bad_step": (
        "Pengaduan {reference} berstatus {status}: tidak dapat menjadi {to}",
        "Complaint {reference} is {status}: it cannot become {to}",
    ),
    "complaint_needs_text": (
        "Status {to} memerlukan tanggapan atau alasan yang dapat dibaca pelapor",
        "Status {to} needs an answer or a reason the complainant can read",
    ),
    "complaint_link": ("Sampaikan pengaduan atau saran", "Make a complaint or suggestion"),
    "complaint_title": ("Pengaduan dan saran", "Complaints and suggestions"),
    "complaint_intro": (
        "Sampaikan keluhan atau pertanyaan tentang layanan. Anda akan mendapat kode untuk "
        "melihat tindak lanjutnya; tanggapan pertama paling lambat 3 hari kerja.",
        "Tell us about a problem or ask about a service. You get a code to follow it up; the "
        "first response comes within 3 working days.",
    ),
    "complaint_about_ticket": (
        "Tentang kunjungan dengan nomor {number}",
        "About the visit with ticket {number}",
    ),
    "complaint_agency": ("Instansi", "Agency"),
    "complaint_service": ("Layanan (boleh dilewati)", "Service (optional)"),
    "complaint_any_service": ("Tidak tentang satu layanan", "Not about one service"),
    "complaint_category": ("Jenis", "Kind"),
    "complaint_text": ("Isi pengaduan", "Your complaint"),
    "complaint_contact": ("Nomor telepon atau email (boleh dilewati)", "Phone or email (optional)"),
    "complaint_contact_hint": (
        "Hanya petugas pengaduan yang dapat melihatnya; tidak pernah tampil di halaman status.",
        "Only the complaint officers can see it; it never appears on the status page.",
    ),
    "complaint_send": ("Kirim pengaduan", "Send"),
    "complaint_have_code": ("Sudah punya kode pengaduan?", "Already have a complaint code?"),
    "complaint_look_up": ("Lihat status", "See its status"),
    "complaint_status_title": ("Status pengaduan", "Complaint status"),
    "complaint_received": ("Pengaduan Anda sudah diterima.", "Your complaint has been received."),
    "complaint_reference": ("Kode pengaduan", "Complaint code"),
    "complaint_keep_code": (
        "Simpan kode ini (foto layar ini): dengan kode ini Anda dapat melihat tindak lanjutnya.",
        "Keep this code (take a screenshot): it shows you the follow-up.",
    ),
    "complaint_received_on": ("diterima {day}", "received {day}"),
    "complaint_due": ("Diselesaikan paling lambat {day}", "To be resolved by {day}"),
    "complaint_answer": ("Tanggapan", "Answer"),
    "complaint_reason": ("Alasan penolakan", "Why it was rejected"),
    "complaint_steps": ("Tindak lanjut", "Follow-up"),
    "skm_tablet_welcome": (
        "Bagaimana layanan kami hari ini? Bantu kami dengan survei singkat (9 pertanyaan).",
        "How was our service today? Help us with a short survey (9 questions).",
    ),
    "skm_tablet_rate": (
        "Nomor {number} baru selesai dilayani di sini: isi survei",
        "Ticket {number} was just served here: answer the survey",
    ),
    "skm_tablet_type_number": (
        "Ketik nomor antrian Anda untuk mengisi survei",
        "Type your ticket number to answer the survey",
    ),
    "skm_tablet_your_number": ("Nomor antrian Anda", "Your ticket number"),
    "skm_tablet_cancel": ("Batal", "Cancel"),
    "skm_tablet_erase": ("Hapus", "Delete"),
    "skm_tablet_next": ("Lanjut", "Next"),
    "skm_tablet_back": ("Sebelumnya", "Previous"),
    "skm_tablet_ok": ("Kembali ke awal", "Back to the start"),
    "booking_not_offered": (
        "Layanan {service} tidak menerima janji temu",
        "Service {service} takes no appointments",
    ),
    "booking_no_name": ("Nama wajib diisi", "A name is needed"),
    "booking_bad_phone": (
        "Nomor telepon tidak sah (angka, boleh diawali +)",
        "Not a phone number (digits, may start with +)",
    ),
    "booking_closed_day": (
        "Layanan {service} tidak dapat dipesan pada {day}",
        "Service {service} cannot be booked on {day}",
    ),
    "booking_not_a_slot": ("Pukul {time} bukan awal slot", "{time} is not the start of a slot"),
    "booking_past": ("Slot pukul {time} sudah lewat", "The {time} slot has passed"),
    "booking_full": (
        "Slot pukul {time} untuk {service} sudah penuh: pilih slot lain",
        "The {time} slot of {service} is full: choose another",
    ),
    "booking_day_full": (
        "Janji temu {service} pada {day} sudah penuh: pilih hari lain",
        "Appointments for {service} on {day} are fully booked: choose another day",
    ),
    "booking_phone_taken": (
        "Nomor telepon ini sudah memegang janji {service} pada {day}: satu janji per hari",
        "This phone number already holds an appointment for {service} on {day}: one a day",
    ),
    "booking_unknown": ("Kode janji {code} tidak ditemukan", "No appointment has the code {code}"),
    "booking_not_open": (
        "Janji {code} tidak dapat dibatalkan (status {state})",
        "Appointment {code} cannot be cancelled (it is {state})",
    ),
    "booking_cancelled": ("Janji {code} sudah dibatalkan", "Appointment {code} was cancelled"),
    "booking_used": (
        "Janji {code} sudah dipakai untuk mengambil nomor",
        "Appointment {code} has already been used for a ticket",
    ),
    "booking_too_late": (
        "Janji {code} pukul {time} sudah lewat waktunya: silakan ambil nomor antrian biasa",
        "Appointment {code} at {time} has passed: please take an ordinary ticket",
    ),
    "booking_too_early": (
        "Janji {code} belum dapat dipakai: datang kembali {day} mulai pukul {time}",
        "Appointment {code} cannot be used yet: come back on {day} from {time}",
    ),
    "booking_link": ("Janji temu", "Appointments"),
    "booking_title": ("Janji temu", "Book an appointment"),
    "booking_intro": (
        "Pesan waktu kedatangan untuk layanan di bawah ini. Di MPP, pindai kode janji di kiosk "
        "untuk mengambil nomor antrian; Anda dipanggil pada jam janji Anda.",
        "Book a time to come for the services below. At the MPP, scan the booking code at the "
        "kiosk to take your ticket; you are called at the time you booked.",
    ),
    "booking_none": (
        "Belum ada layanan yang menerima janji temu.",
        "No service takes appointments yet.",
    ),
    "booking_choose": ("Pesan", "Book"),
    "booking_per_slot": ("{minutes} menit per slot", "{minutes}-minute slots"),
    "booking_choose_day": ("Pilih hari", "Choose a day"),
    "booking_choose_time": ("Pilih jam kedatangan", "Choose a time to come"),
    "booking_places": ("{n} tempat", "{n} places"),
    "booking_full_short": ("penuh", "full"),
    "booking_no_days": (
        "Tidak ada hari yang dapat dipesan saat ini.",
        "No day can be booked at the moment.",
    ),
    "booking_no_slots": ("Tidak ada slot tersisa pada hari ini.", "No slots left on this day."),
    "booking_name": ("Nama lengkap", "Full name"),
    "booking_phone": ("Nomor telepon", "Phone number"),
    "booking_phone_hint": (
        "Hanya dilihat petugas, untuk menghubungi Anda bila jadwal berubah.",
        "Seen by staff only, to reach you if the schedule changes.",
    ),
    "booking_submit": ("Pesan janji", "Book"),
    "booking_code": ("Kode janji", "Booking code"),
    "booking_made": ("Janji Anda tercatat.", "Your appointment is booked."),
    "booking_when": ("{day} pukul {time}", "{day} at {time}"),
    "booking_show_at_kiosk": (
        "Di MPP, pindai kode QR ini di kiosk (atau ketik kodenya) antara pukul {start} dan {end}.",
        "At the MPP, scan this QR code at the kiosk (or type the code) between {start} and {end}.",
    ),
    "booking_keep": (
        "Simpan halaman ini, foto layarnya, atau catat kodenya.",
        "Keep this page, take a screenshot, or write the code down.",
    ),
    "booking_state_booked": ("Terjadwal", "Booked"),
    "booking_state_checked_in": ("Sudah mengambil nomor {ticket}", "Ticket {ticket} taken"),
    "booking_state_cancelled": ("Dibatalkan", "Cancelled"),
    "booking_state_no_show": (
        "Tidak hadir: waktu check-in sudah lewat",
        "Missed: the check-in time has passed",
    ),
    "booking_cancel": ("Batalkan janji", "Cancel the appointment"),
    "booking_cancel_hint": (
        "Tidak jadi datang? Batalkan agar tempatnya dapat dipakai orang lain.",
        "Not coming? Cancel so that someone else can have the place.",
    ),
    "booking_cancelled_now": ("Janji sudah dibatalkan.", "The appointment is cancelled."),
    "booking_have_code": ("Sudah punya kode janji?", "Have a booking code?"),
    "booking_look_up": ("Lihat janji", "Look it up"),
    "booking_another": ("Pesan janji lain", "Book another appointment"),
    "console_bookings": ("Janji temu", "Appointments"),
    "console_bookings_day": ("Hari", "Day"),
    "console_bookings_service": ("Layanan", "Service"),
    "console_bookings_show": ("Tampilkan", "Show"),
    "console_bookings_time": ("Jam", "Time"),
    "console_bookings_none": ("Tidak ada janji pada hari ini.", "No appointments on this day."),
    "console_bookings_counts": (
        "{booked} terjadwal · {checked_in} sudah datang · {no_show} tidak hadir · "
        "{cancelled} dibatalkan",
        "{booked} booked · {checked_in} checked in · {no_show} no-shows · {cancelled} cancelled",
    ),
    "console_bookings_made": (
        "Janji dibuat dengan kode {code}: sampaikan kode ini kepada warga",
        "Booked with the code {code}: give this code to the citizen",
    ),
    "console_bookings_for_caller": ("Pesan untuk penelepon", "Book for a caller"),
    "console_bookings_outcomes": ("Janji temu (daring)", "Appointments (online)"),
    "console_bookings_made_count": ("Dipesan", "Made"),
    "console_bookings_came": ("Datang", "Checked in"),
    "console_bookings_no_show": ("Tidak hadir", "No-show"),
    "console_bookings_no_show_rate": ("% tidak hadir", "% no-show"),
    "console_bookings_outcomes_note": (
        "Janji untuk hari-hari periode ini. Kedatangan lewat janji juga tercatat di tabel di atas "
        "sebagai sumber 'appointment'; % tidak hadir dihitung dari janji yang harinya sudah tiba.",
        "Bookings for the period's days. Arrivals by appointment are also in the table above as "
        "source 'appointment'; % no-show is of the bookings whose time has come.",
    ),
    "demo_running": (
        "Demo Antrian sudah berjalan di PC ini (folder {folder}); tutup dulu demo itu",
        "An Antrian demo is already running on this PC (folder {folder}); close it first",
    ),
    "demo_no_port": (
        "Tidak ada port bebas untuk server web demo ({first}-{last})",
        "No free port for the demo's web server ({first}-{last})",
    ),
    # the citizen web
    "web_lang_other": ("English", "Bahasa Indonesia"),
    "web_skip": ("Langsung ke isi", "Skip to content"),
    "web_ticket_title": ("Antrian {number}", "Ticket {number}"),
    "web_your_number": ("Nomor antrian Anda", "Your ticket number"),
    "web_priority": ("PRIORITAS", "PRIORITY"),
    "web_state_waiting": ("Menunggu", "Waiting"),
    "web_state_called": ("Dipanggil", "Called"),
    "web_state_serving": ("Sedang dilayani", "Being served"),
    "web_state_done": ("Selesai", "Finished"),
    "web_state_no_show": ("Tidak hadir", "Missed"),
    "web_state_transferred": ("Dialihkan", "Transferred"),
    "web_state_cancelled": ("Dibatalkan", "Cancelled"),
    "web_state_expired": ("Kedaluwarsa", "Expired"),
    "web_people_ahead": ("{n} orang di depan Anda", "{n} people ahead of you"),
    "web_next_up": ("Anda berikutnya", "You are next"),
    "web_wait": ("Perkiraan tunggu: {wait}", "Estimated wait: {wait}"),
    "web_your_turn": ("Giliran Anda!", "It is your turn!"),
    "web_go_to": ("Silakan menuju Loket {counter}", "Please go to counter {counter}"),
    "web_your_turn_title": ("Giliran Anda: Loket {counter}", "Your turn: counter {counter}"),
    "web_called_again": ("Dipanggil lagi ({n}x)", "Called again ({n}x)"),
    "web_serving_at": (
        "Anda sedang dilayani di Loket {counter}",
        "You are being served at counter {counter}",
    ),
    "web_done": (
        "Layanan selesai. Terima kasih atas kunjungan Anda.",
        "Your visit is finished. Thank you.",
    ),
    "web_no_show": (
        "Anda tidak hadir saat dipanggil. Temui petugas loket bila Anda masih di sini.",
        "You were not there when called. See the counter staff if you are still here.",
    ),
    "web_expired": (
        "Nomor ini tidak dipanggil lagi hari ini.",
        "This number will not be called today.",
    ),
    "web_transferred_to": ("Dialihkan ke layanan {service}", "Transferred to {service}"),
    "web_earlier_day": (
        "Tiket ini untuk tanggal {day}, bukan hari ini.",
        "This ticket is for {day}, not today.",
    ),
    "web_updated": ("Diperbarui {time}", "Updated {time}"),
    "web_offline": (
        "Terputus: menyambung kembali. Data di layar mungkin belum terbaru.",
        "Offline: reconnecting. What you see may be out of date.",
    ),
    "web_sound_on": ("Aktifkan suara dan getar", "Turn on sound and vibration"),
    "web_sound_ready": ("Suara dan getar aktif", "Sound and vibration on"),
    "web_keep_open": (
        "Biarkan halaman ini terbuka: halaman berubah saat nomor Anda dipanggil.",
        "Keep this page open: it changes when your number is called.",
    ),
    "web_no_script": (
        "Halaman ini memperbarui diri setiap 30 detik.",
        "This page refreshes itself every 30 seconds.",
    ),
    "web_refresh": ("Muat ulang", "Refresh"),
    "web_standard": ("Standar pelayanan", "Service standard"),
    "web_close": ("Tutup", "Close"),
    "web_catalogue_title": ("Layanan dan standar pelayanan", "Services and their standards"),
    "web_catalogue_intro": (
        "Persyaratan, biaya dan waktu penyelesaian setiap layanan, dan antrian saat ini.",
        "Requirements, fees and completion times of every service, and the queue now.",
    ),
    "web_open_now": ("Buka", "Open"),
    "web_closed_now": ("Tutup", "Closed"),
    "web_opens": ("Buka {when}", "Opens {when}"),
    "web_issuing_ended": (
        "Pengambilan nomor sudah berakhir hari ini",
        "Ticket issuing has ended for today",
    ),
    "web_quota_left": ("Kuota tersisa {n} dari {quota}", "{n} of {quota} left today"),
    "web_quota_full": ("Kuota hari ini habis", "Today's quota is full"),
    "web_waiting_now": ("{n} orang menunggu", "{n} people waiting"),
    "web_hours": ("Jam layanan", "Opening hours"),
    "web_hours_line": (
        "{days} {opens}–{closes} (nomor s.d. {last})",
        "{days} {opens}–{closes} (tickets until {last})",
    ),
    "web_board_title": ("Papan antrian", "Queue board"),
    "web_board_link": ("Papan antrian langsung", "Live queue board"),
    "web_catalogue_link": ("Daftar layanan", "All services"),
    "web_not_found_title": ("Halaman tidak ditemukan", "Page not found"),
    "web_not_found": (
        "Alamat ini tidak dikenal. Periksa kembali kode QR atau tautan pada tiket Anda.",
        "This address is unknown. Check the QR code or link on your ticket again.",
    ),
    "web_unavailable_title": ("Layanan sementara tidak tersedia", "Temporarily unavailable"),
    "web_unavailable": (
        "Silakan coba lagi sebentar lagi.",
        "Please try again in a moment.",
    ),
    "web_too_many": (
        "Terlalu banyak permintaan dari alamat Anda. Tunggu sebentar lalu coba lagi.",
        "Too many requests from your address. Wait a moment and try again.",
    ),
    "web_counter": ("Loket {number}", "Counter {number}"),
    # staff console
    "console_title": ("Konsol petugas", "Staff console"),
    "console_login": ("Masuk", "Log in"),
    "console_logout": ("Keluar", "Log out"),
    "console_username": ("Nama pengguna", "Username"),
    "console_password": ("Kata sandi", "Password"),
    "console_no_access": (
        "Akun ini tidak punya akses ke konsol (hanya admin dan supervisor)",
        "This account has no console access (admins and supervisors only)",
    ),
    "web_bad_request_title": ("Permintaan tidak sah", "Bad request"),
    "web_bad_request": (
        "Isian halaman ini tidak dapat dipakai; periksa lalu coba lagi.",
        "What was sent cannot be used; check it and try again.",
    ),
    "console_forbidden_title": ("Tidak diizinkan", "Not allowed"),
    "console_forbidden": (
        "Peran akun Anda tidak mengizinkan halaman atau tindakan ini.",
        "Your account's role does not allow this page or action.",
    ),
    "console_monitor": ("Pantauan langsung", "Live monitor"),
    "console_accounts": ("Akun petugas", "Staff accounts"),
    "console_counter": ("Loket", "Counter"),
    "console_state": ("Status", "State"),
    "console_staff": ("Petugas", "Staff"),
    "console_number": ("Nomor", "Number"),
    "console_minutes": ("Menit", "Minutes"),
    "console_service": ("Layanan", "Service"),
    "console_waiting": ("Menunggu", "Waiting"),
    "console_longest": ("Terlama (menit)", "Longest (minutes)"),
    "console_name": ("Nama tampilan", "Display name"),
    "console_role": ("Peran", "Role"),
    "console_agencies": ("Instansi", "Agencies"),
    "console_active": ("aktif", "active"),
    "console_disabled": ("nonaktif", "disabled"),
    "console_disable": ("Nonaktifkan", "Disable"),
    "console_enable": ("Aktifkan", "Enable"),
    "console_new_password": ("Kata sandi baru", "New password"),
    "console_set_password": ("Ganti kata sandi", "Set password"),
    "console_save": ("Simpan", "Save"),
    "console_add": ("Tambah akun", "Add an account"),
    "console_slow_visit": ("jauh melebihi waktu layanan", "far over the service time"),
    "console_over_target": ("lewat target {target} mnt", "over the {target} min target"),
    "console_new_wait": ("Tunggu tiket baru (mnt)", "New ticket's wait (min)"),
    "console_site": ("Berkas situs", "Site file"),
    "console_site_file": ("Berkas situs (TOML)", "Site file (TOML)"),
    "console_site_check": ("Periksa", "Check"),
    "console_site_errors": ("Kesalahan di {name}", "Mistakes in {name}"),
    "console_site_nothing_changed": ("Tidak ada yang diubah.", "Nothing was changed."),
    "console_site_preview": (
        "Yang akan berubah bila {name} dimuat",
        "What loading {name} would change",
    ),
    "console_site_created": ("baru", "added"),
    "console_site_updated": ("berubah", "changed"),
    "console_site_unchanged": ("tetap", "unchanged"),
    "console_site_deactivated": ("dinonaktifkan", "deactivated"),
    "console_site_apply": ("Muat berkas ini", "Load this file"),
    "console_site_same": (
        "Berkas ini sama dengan yang sedang dipakai.",
        "This file is the one in use.",
    ),
    "console_site_applied": ("{name} dimuat.", "{name} is loaded."),
    "console_no_data": ("Belum ada data pada periode ini.", "No data in this period yet."),
    "console_chart_arrivals": ("Kedatangan per jam", "Arrivals by hour of day"),
    "console_chart_wait": ("Rata-rata tunggu per jam (menit)", "Average wait by hour (minutes)"),
    "console_chart_level": (
        "Tingkat layanan per layanan (merah: di bawah 80%)",
        "Service level per service (red: below 80%)",
    ),
    "console_chart_days": ("Kedatangan per hari", "Arrivals per day"),
    "console_chart_heatmap": ("Kedatangan: hari x jam", "Arrivals: weekday x hour"),
    "console_weekday_1": ("Sen", "Mon"),
    "console_weekday_2": ("Sel", "Tue"),
    "console_weekday_3": ("Rab", "Wed"),
    "console_weekday_4": ("Kam", "Thu"),
    "console_weekday_5": ("Jum", "Fri"),
    "console_weekday_6": ("Sab", "Sat"),
    "console_weekday_7": ("Min", "Sun"),
    "console_reports": ("Laporan kinerja", "Performance reports"),
    "console_skm": ("Survei kepuasan (SKM)", "Satisfaction survey (SKM)"),
    "console_complaints": ("Pengaduan", "Complaints"),
    "console_complaints_monthly": (
        "Laporan bulanan (diterima, tepat waktu, terlambat per instansi dan jenis):",
        "Monthly report (received, on time, late per agency and category):",
    ),
    "console_complaints_overdue": ("{n} terlambat", "{n} overdue"),
    "console_complaints_due": ("{n} jatuh tempo hari ini", "{n} due today"),
    "console_complaints_open": ("yang masih terbuka", "open ones"),
    "console_complaints_all": ("semua, termasuk yang selesai", "all, closed ones too"),
    "console_complaints_channel": ("Saluran", "Channel"),
    "console_complaints_response_due": ("Tanggapan pertama", "First response by"),
    "console_complaints_resolution_due": ("Selesai paling lambat", "Resolve by"),
    "console_complaints_late": ("terlambat", "overdue"),
    "console_complaints_today": ("hari ini", "due today"),
    "console_complaints_open_count": ("terbuka", "open"),
    "console_complaints_none": ("Tidak ada pengaduan", "No complaints"),
    "console_complaints_ticket": ("nomor {number}", "ticket {number}"),
    "console_complaints_contact": ("Kontak pelapor", "Complainant's contact"),
    "console_complaints_next": ("Langkah berikutnya", "Next step"),
    "console_complaints_note": (
        "Catatan (tanggapan atau alasan: dapat dibaca pelapor)",
        "Note (an answer or reason: the complainant reads it)",
    ),
    "console_complaints_save": ("Simpan langkah", "Save the step"),
    "console_complaints_when": ("Waktu", "When"),
    "console_complaints_who": ("Oleh", "By"),
    "console_by_element": ("unsur (keseluruhan)", "element (overall)"),
    "console_skm_none": ("belum ada responden", "no respondents yet"),
    "console_skm_channel_phone": ("ponsel", "phone"),
    "console_skm_channel_tablet": ("tablet", "tablet"),
    "console_skm_channel_paper": ("kertas", "paper"),
    "console_skm_elements": ("Nilai per unsur", "Score per element"),
    "console_skm_element": ("Unsur", "Element"),
    "console_skm_weighted": ("NRR tertimbang (1/9)", "Weighted NRR (1/9)"),
    "console_skm_weak": ("terendah", "lowest"),
    "console_skm_weight_title": ("Tentang bobot 0,111", "About the 0.111 weight"),
    "console_skm_weight": (
        "Peraturan menimbang tiap unsur dengan 0,111; sembilan kali 0,111 = 0,999, sehingga "
        "indeks turun 0,1% dan dapat berpindah mutu di batas nilai. Antrian menimbang dengan tepat "
        "1/9: IKM {ikm}. Dengan bobot 0,111: {regulation}.",
        "The regulation weights each element with 0.111; nine times 0.111 is 0.999, which lowers "
        "the index by 0.1% and can move it across a grade boundary. Antrian weights with exactly "
        "1/9: IKM {ikm}. With the 0.111 weight: {regulation}.",
    ),
    "console_skm_respondents": ("Responden", "Respondents"),
    "console_skm_grade": ("Mutu", "Grade"),
    "console_skm_paper": ("Masukkan formulir kertas", "Type in a paper form"),
    "console_skm_suggestions": ("Saran dan masukan terbaru", "Newest suggestions"),
    "console_skm_ticket": ("Nomor antrian", "Ticket number"),
    "console_skm_day": ("Tanggal kunjungan", "Day of the visit"),
    "console_skm_save": ("Simpan", "Save"),
    "console_from": ("Dari", "From"),
    "console_to": ("Sampai", "To"),
    "console_by": ("Menurut", "By"),
    "console_by_service": ("layanan", "service"),
    "console_by_agency": ("instansi", "agency"),
    "console_by_counter": ("loket", "counter"),
    "console_by_staff": ("petugas", "staff"),
    "console_by_day": ("hari", "day"),
    "console_by_weekday": ("hari dalam minggu (1 = Senin)", "weekday (1 = Monday)"),
    "console_by_hour": ("jam", "hour of day"),
    "console_all": ("Semua", "All"),
    "console_show": ("Tampilkan", "Show"),
    "console_download_xlsx": ("Unduh Excel (XLSX)", "Download Excel (XLSX)"),
    "console_download_csv": ("Unduh CSV", "Download CSV"),
    "console_download_pdf": ("Laporan cetak (PDF)", "Printable report (PDF)"),
    "console_definitions": ("Definisi", "Definitions"),
    "console_report_note": (
        "Waktu dalam menit. Baris merah: tingkat layanan di bawah 80%.",
        "Times in minutes. Red rows: service level below 80%.",
    ),
    "web_board_counters": ("Loket", "Counters"),
    # the wait shown to a citizen (shared.domain.estimate.WaitEstimate), see wait_text
    "wait_minutes": ("{m} menit", "{m} min"),
    "wait_range": ("{low}-{high} menit", "{low}-{high} min"),
    "wait_soon": ("sebentar lagi", "very soon"),
    "wait_more_hours": ("lebih dari {h} jam", "more than {h} hours"),
    "wait_more_minutes": ("lebih dari {m} menit", "more than {m} min"),
    "wait_unknown": ("belum dapat diperkirakan", "cannot be estimated yet"),
    "wait_not_today": (
        "Antrian mungkin tidak sampai ke nomor Anda sebelum layanan tutup hari ini.",
        "The queue may not reach your number before the service closes today.",
    ),
}


def tr(message: str, lang: Lang = DEFAULT_LANG, /, **params: object) -> str:
    """The message `message` in `lang`, formatted with `params`."""
    id_text, en_text = MESSAGES[message]
    return (en_text if lang == "en" else id_text).format(**params)


def both(message: str, /, **params: object) -> LocalText:
    """The message `message` in both languages."""
    return LocalText(tr(message, "id", **params), tr(message, "en", **params))


def wait_text(wait: WaitEstimate, lang: Lang) -> str:
    """A wait as people read it: "15 menit", "20-35 menit", "sebentar lagi", and past the
    service's closing, "lebih dari 2 jam" (the time left until closing)."""
    if wait.past_closing:
        if wait.low >= 60:
            return tr("wait_more_hours", lang, h=wait.low // 60)
        if wait.low > 0:
            return tr("wait_more_minutes", lang, m=wait.low)
        return tr("wait_unknown", lang)
    if wait.is_range:
        return tr("wait_range", lang, low=wait.low, high=wait.high)
    if wait.minutes == 0:
        return tr("wait_soon", lang)
    return tr("wait_minutes", lang, m=wait.minutes)


def when_text(moment: datetime | None, today: date) -> LocalText | None:
    """When something opens, as people say it: "hari ini pukul 08:00", "Senin pukul 08:00"."""
    if moment is None:
        return None
    clock = moment.strftime("%H:%M")
    if moment.date() == today:
        return both("today_at", time=clock)
    weekday = both(f"weekday_{moment.weekday()}")
    return LocalText(
        tr("weekday_at", "id", weekday=weekday.id, time=clock),
        tr("weekday_at", "en", weekday=weekday.en, time=clock),
    )


def clock_text(moment: datetime, lang: Lang) -> str:
    """The date and time the screens show: "Senin, 30-11-2026  09:30"."""
    return f"{tr(f'weekday_{moment.weekday()}', lang)}, {moment:%d-%m-%Y  %H:%M}"


def rupiah(amount: int) -> LocalText:
    """A fee as people read it: "Gratis" for 0, else "Rp 50.000"."""
    if amount <= 0:
        return both("fee_free")
    text = f"Rp {amount:,}".replace(",", ".")
    return LocalText(text, text)
