"""The core: networks, staff accounts and roles, layout, start pages and registries."""
