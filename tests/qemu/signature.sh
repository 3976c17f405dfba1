#!/bin/sh
# signature.sh -- the boot manager refuses a kernel it cannot verify
# (spec/layout-and-build.md "Signed boot"): one flipped byte in nucleus.elf,
# a missing nucleus.elf.sig, and a kernel signed by another key.  In each
# case GRUB's own message is seen and the kernel's first marker never is.
. "$top_srcdir/tests/qemu/lib.sh"

tap_plan 9
[ -f "$image_disk" ] || tap_bail "no image: run make image"
first_marker=$(sed -n '/^[^#]/{p;q}' "$top_srcdir/tests/qemu/boot-markers.txt")

# boot_variant NAME MUTATE_FN EXPECTED_GRUB_ERROR
boot_variant() {
	name=$1 mutate=$2 expect=$3
	wd=$(qemu_workdir "signature-$name")
	cp -R "$image_dir" "$wd/image"
	$mutate "$wd/image" "$wd"
	"$top_srcdir/tools/mkdisk" "$wd/image" "$wd/disk.img" >/dev/null
	qemu_boot "$wd/disk.img" "$wd" 60
	if grep -qF "$expect" "$wd/serial.txt"; then
		tap_ok "$name: GRUB says '$expect'"
	else
		tap_not_ok "$name: GRUB says '$expect'" "serial log: $wd/serial.txt"
	fi
	if grep -qF "$first_marker" "$wd/debugcon.log"; then
		tap_not_ok "$name: kernel never starts" "found '$first_marker'"
	else
		tap_ok "$name: kernel never starts"
	fi
	# GRUB powers off after refusing (no shell, no hang): qemu-run status 3.
	if [ "$QEMU_RC" -eq 3 ]; then
		tap_ok "$name: boot manager powers off (no prompt)"
	else
		tap_not_ok "$name: boot manager powers off (no prompt)" "qemu-run exit $QEMU_RC"
	fi
}

flip_byte() {
	size=$(wc -c < "$1/nucleus.elf")
	off=$((size / 2))
	orig=$(od -An -tu1 -j "$off" -N1 "$1/nucleus.elf" | tr -d ' ')
	new=$(( (orig + 1) % 256 ))
	printf "$(printf '\\%03o' "$new")" | dd of="$1/nucleus.elf" bs=1 seek="$off" conv=notrunc 2>/dev/null
}
drop_sig() { rm -f "$1/nucleus.elf.sig"; }
other_key() {
	home=$2/gnupg
	mkdir -p "$home" && chmod 700 "$home"
	gpg --homedir "$home" --batch --quiet --pinentry-mode loopback --passphrase '' \
	    --quick-gen-key 'Someone Else <other@example.invalid>' rsa2048 sign never
	gpg --homedir "$home" --batch --quiet --yes --digest-algo SHA256 \
	    --detach-sign -o "$1/nucleus.elf.sig" "$1/nucleus.elf"
	gpgconf --homedir "$home" --kill gpg-agent 2>/dev/null || true
}

boot_variant tampered flip_byte "bad signature"
boot_variant unsigned drop_sig "nucleus.elf.sig' not found"
boot_variant other-key other_key "public key"
exit 0
