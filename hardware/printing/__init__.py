"""ESC/POS ticket printing: layout, rendering to bytes or a preview image, transports, status."""
