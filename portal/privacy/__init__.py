"""People's data under the Privacy Act: download it (APP 12), ask to correct it (APP 13), close the
account, and the retention sweep that anonymises what is kept past its time."""
