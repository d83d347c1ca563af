<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>Document</name>
    <message>
        <source>an image</source>
        <translation>an image</translation>
    </message>
    <message>
        <source>a key-region protected image</source>
        <translation>a key-region protected image</translation>
    </message>
    <message>
        <source>a sealed EMR image</source>
        <translation>a sealed EMR image</translation>
    </message>
    <message>
        <source>a teaching cipher image (medveil-cli encrypt)</source>
        <translation>a teaching cipher image (medveil-cli encrypt)</translation>
    </message>
    <message>
        <source>a MedVeil file of a format this version does not know</source>
        <translation>a MedVeil file of a format this version does not know</translation>
    </message>
    <message>
        <source>This file is already protected: it is a sealed EMR image. Open it in the EMR tab with your private key first.</source>
        <translation>This file is already protected: it is a sealed EMR image. Open it in the EMR tab with your private key first.</translation>
    </message>
    <message>
        <source>This file is already protected (key region and QR code). Recover the original in the Recover tab first.</source>
        <translation>This file is already protected (key region and QR code). Recover the original in the Recover tab first.</translation>
    </message>
    <message>
        <source>This file is %1: it is not protected again.</source>
        <translation>This file is %1: it is not protected again.</translation>
    </message>
    <message>
        <source>This image is not protected: there is nothing to recover. Open a file made by Protect.</source>
        <translation>This image is not protected: there is nothing to recover. Open a file made by Protect.</translation>
    </message>
    <message>
        <source>This file is a sealed EMR image: open it in the EMR tab.</source>
        <translation>This file is a sealed EMR image: open it in the EMR tab.</translation>
    </message>
    <message>
        <source>This file is %1: the Recover tab cannot open it.</source>
        <translation>This file is %1: the Recover tab cannot open it.</translation>
    </message>
</context>
<context>
    <name>EngineMessage</name>
    <message>
        <source>choose the private key first</source>
        <translation>choose the private key first</translation>
    </message>
    <message>
        <source>choose the recipient's public key first</source>
        <translation>choose the recipient's public key first</translation>
    </message>
    <message>
        <source>cannot read the private key: %1</source>
        <translation>cannot read the private key: %1</translation>
    </message>
    <message>
        <source>cannot read the recipient's public key: %1</source>
        <translation>cannot read the recipient's public key: %1</translation>
    </message>
    <message>
        <source>the private key '%1' is readable by other users; restrict it first (chmod 600)</source>
        <translation>the private key '%1' is readable by other users; restrict it first (chmod 600)</translation>
    </message>
    <message>
        <source>'%1' holds a public key; the private key is needed</source>
        <translation>'%1' holds a public key; the private key is needed</translation>
    </message>
    <message>
        <source>the private key is encrypted: a passphrase is needed</source>
        <translation>the private key is encrypted: a passphrase is needed</translation>
    </message>
    <message>
        <source>wrong passphrase for the private key</source>
        <translation>wrong passphrase for the private key</translation>
    </message>
    <message>
        <source>the private key file cannot be parsed</source>
        <translation>the private key file cannot be parsed</translation>
    </message>
    <message>
        <source>not a PEM key file</source>
        <translation>not a PEM key file</translation>
    </message>
    <message>
        <source>not an RSA public key in PEM (SubjectPublicKeyInfo) format</source>
        <translation>not an RSA public key in PEM (SubjectPublicKeyInfo) format</translation>
    </message>
    <message>
        <source>the key is not an RSA key</source>
        <translation>the key is not an RSA key</translation>
    </message>
    <message>
        <source>RSA keys below 2048 bits are refused (this one has %1)</source>
        <translation>RSA keys below 2048 bits are refused (this one has %1)</translation>
    </message>
    <message>
        <source>this file was not protected for this private key</source>
        <translation>this file was not protected for this private key</translation>
    </message>
    <message>
        <source>wrong private key: the sealed key cannot be decrypted</source>
        <translation>wrong private key: the sealed key cannot be decrypted</translation>
    </message>
    <message>
        <source>'%1' exists; MedVeil never writes over a key file</source>
        <translation>'%1' exists; MedVeil never writes over a key file</translation>
    </message>
    <message>
        <source>the signature does not verify: the file was modified or signed by another key</source>
        <translation>the signature does not verify: the file was modified or signed by another key</translation>
    </message>
    <message>
        <source>the file's signature was removed or damaged</source>
        <translation>the file's signature was removed or damaged</translation>
    </message>
    <message>
        <source>the file's signature is damaged</source>
        <translation>the file's signature is damaged</translation>
    </message>
    <message>
        <source>the file is not signed by a trusted sender</source>
        <translation>the file is not signed by a trusted sender</translation>
    </message>
    <message>
        <source>the file is signed by a key that is not a trusted sender (%1)</source>
        <translation>the file is signed by a key that is not a trusted sender (%1)</translation>
    </message>
    <message>
        <source>trusted-sender list, line %1: %2</source>
        <translation>trusted-sender list, line %1: %2</translation>
    </message>
    <message>
        <source>cannot read '%1': not a regular file</source>
        <translation>cannot read '%1': not a regular file</translation>
    </message>
    <message>
        <source>cannot open '%1'</source>
        <translation>cannot open '%1'</translation>
    </message>
    <message>
        <source>'%1' is empty</source>
        <translation>'%1' is empty</translation>
    </message>
    <message>
        <source>'%1' is not a supported image (PNG, TIFF, BMP, JPEG or DICOM expected)</source>
        <translation>'%1' is not a supported image (PNG, TIFF, BMP, JPEG or DICOM expected)</translation>
    </message>
    <message>
        <source>'%1' is damaged or truncated and cannot be decoded</source>
        <translation>'%1' is damaged or truncated and cannot be decoded</translation>
    </message>
    <message>
        <source>'%1' is a colour image; MedVeil works on grey medical images</source>
        <translation>'%1' is a colour image; MedVeil works on grey medical images</translation>
    </message>
    <message>
        <source>'%1' has transparency, which is not supported</source>
        <translation>'%1' has transparency, which is not supported</translation>
    </message>
    <message>
        <source>'%1' has an unsupported sample type (only unsigned 8- or 16-bit)</source>
        <translation>'%1' has an unsupported sample type (only unsigned 8- or 16-bit)</translation>
    </message>
    <message>
        <source>'%1' declares %2×%3 pixels, more than the limit of %4</source>
        <translation>'%1' declares %2×%3 pixels, more than the limit of %4</translation>
    </message>
    <message>
        <source>refusing to write over the input file '%1'</source>
        <translation>refusing to write over the input file '%1'</translation>
    </message>
    <message>
        <source>a .dcm output needs a DICOM input; write a .png instead</source>
        <translation>a .dcm output needs a DICOM input; write a .png instead</translation>
    </message>
    <message>
        <source>%1: multi-frame images (%2 frames) are not supported</source>
        <translation>%1: multi-frame images (%2 frames) are not supported</translation>
    </message>
    <message>
        <source>%1: colour DICOM images are not supported</source>
        <translation>%1: colour DICOM images are not supported</translation>
    </message>
    <message>
        <source>%1: the DICOM file has no pixel data</source>
        <translation>%1: the DICOM file has no pixel data</translation>
    </message>
    <message>
        <source>%1: lossy-compressed pixel data (%2) cannot be protected bit-exactly; export it uncompressed or losslessly compressed</source>
        <translation>%1: lossy-compressed pixel data (%2) cannot be protected bit-exactly; export it uncompressed or losslessly compressed</translation>
    </message>
    <message>
        <source>the image (%1×%2) is too small to carry a QR code and its hidden key region</source>
        <translation>the image (%1×%2) is too small to carry a QR code and its hidden key region</translation>
    </message>
    <message>
        <source>the region %1 is not inside the %2×%3 image</source>
        <translation>the region %1 is not inside the %2×%3 image</translation>
    </message>
    <message>
        <source>the regions %1 and %2 overlap</source>
        <translation>the regions %1 and %2 overlap</translation>
    </message>
    <message>
        <source>the image is completely black: there is no key region to protect</source>
        <translation>the image is completely black: there is no key region to protect</translation>
    </message>
    <message>
        <source>the key region (%1 px) is smaller than the %2 px the QR code needs</source>
        <translation>the key region (%1 px) is smaller than the %2 px the QR code needs</translation>
    </message>
    <message>
        <source>the public information is too long for a QR code</source>
        <translation>the public information is too long for a QR code</translation>
    </message>
    <message>
        <source>the key region does not fit: %1 bits needed, at most %2 bits available (threshold %3, %4 passes); use a smaller region or a lower threshold</source>
        <translation>the key region does not fit: %1 bits needed, at most %2 bits available (threshold %3, %4 passes); use a smaller region or a lower threshold</translation>
    </message>
    <message>
        <source>the key region does not fit: %1 bits needed, at most %2 bits available (threshold %3, %4 passes); use a smaller region</source>
        <translation>the key region does not fit: %1 bits needed, at most %2 bits available (threshold %3, %4 passes); use a smaller region</translation>
    </message>
    <message>
        <source>this image shows a MedVeil QR code but its protection data is gone: it was re-saved (for example as JPEG), converted or resized after protection</source>
        <translation>this image shows a MedVeil QR code but its protection data is gone: it was re-saved (for example as JPEG), converted or resized after protection</translation>
    </message>
    <message>
        <source>the image was resized after protection (protected at %1×%2, now %3×%4)</source>
        <translation>the image was resized after protection (protected at %1×%2, now %3×%4)</translation>
    </message>
    <message>
        <source>the image was modified after protection (pixels, QR code or protection data changed)</source>
        <translation>the image was modified after protection (pixels, QR code or protection data changed)</translation>
    </message>
    <message>
        <source>the image was modified after protection (pixels changed)</source>
        <translation>the image was modified after protection (pixels changed)</translation>
    </message>
    <message>
        <source>the hidden data is incomplete: the image was modified</source>
        <translation>the hidden data is incomplete: the image was modified</translation>
    </message>
    <message>
        <source>the QR code was modified after protection</source>
        <translation>the QR code was modified after protection</translation>
    </message>
    <message>
        <source>the QR code cannot be decoded: it was modified after protection</source>
        <translation>the QR code cannot be decoded: it was modified after protection</translation>
    </message>
    <message>
        <source>no QR code found</source>
        <translation>no QR code found</translation>
    </message>
    <message>
        <source>the QR code is not a MedVeil protection code</source>
        <translation>the QR code is not a MedVeil protection code</translation>
    </message>
    <message>
        <source>the restored image does not match the original's sealed SHA-256</source>
        <translation>the restored image does not match the original's sealed SHA-256</translation>
    </message>
    <message>
        <source>the DICOM header was modified after protection</source>
        <translation>the DICOM header was modified after protection</translation>
    </message>
    <message>
        <source>this protection was made in a DICOM file; recover the DICOM file</source>
        <translation>this protection was made in a DICOM file; recover the DICOM file</translation>
    </message>
    <message>
        <source>authentication failed: wrong key or the data was modified</source>
        <translation>authentication failed: wrong key or the data was modified</translation>
    </message>
    <message>
        <source>the EMR has %1 bytes but a %2×%3 encoded image holds at most %4 bytes at base %5</source>
        <translation>the EMR has %1 bytes but a %2×%3 encoded image holds at most %4 bytes at base %5</translation>
    </message>
    <message>
        <source>the EMR is not valid UTF-8 (first bad byte at offset %1)</source>
        <translation>the EMR is not valid UTF-8 (first bad byte at offset %1)</translation>
    </message>
    <message>
        <source>the image is too small to hold an EMR</source>
        <translation>the image is too small to hold an EMR</translation>
    </message>
    <message>
        <source>the DICOM header was modified after sealing</source>
        <translation>the DICOM header was modified after sealing</translation>
    </message>
    <message>
        <source>this seal was made in a DICOM file; open the DICOM file</source>
        <translation>this seal was made in a DICOM file; open the DICOM file</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>cancelled</translation>
    </message>
    <message>
        <source>the sealed image's lossless residual was removed</source>
        <translation>the sealed image's lossless residual was removed</translation>
    </message>
    <message>
        <source>the sealed image's lossless residual was modified</source>
        <translation>the sealed image's lossless residual was modified</translation>
    </message>
    <message>
        <source>the sealed image's identity part was removed</source>
        <translation>the sealed image's identity part was removed</translation>
    </message>
    <message>
        <source>the sealed image's identity part was modified</source>
        <translation>the sealed image's identity part was modified</translation>
    </message>
    <message>
        <source>the decrypted image does not match its sealed hash</source>
        <translation>the decrypted image does not match its sealed hash</translation>
    </message>
</context>
<context>
    <name>ErrorText</name>
    <message>
        <source>Invalid request</source>
        <translation>Invalid request</translation>
    </message>
    <message>
        <source>Unreadable or unsuitable input</source>
        <translation>Unreadable or unsuitable input</translation>
    </message>
    <message>
        <source>Wrong key or passphrase, or the data were modified</source>
        <translation>Wrong key or passphrase, or the data were modified</translation>
    </message>
    <message>
        <source>Does not fit</source>
        <translation>Does not fit</translation>
    </message>
    <message>
        <source>Internal error</source>
        <translation>Internal error</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>PassphrasePrompt</name>
    <message>
        <source>Passphrase</source>
        <translation>Passphrase</translation>
    </message>
    <message>
        <source>The private key is protected by a passphrase:</source>
        <translation>The private key is protected by a passphrase:</translation>
    </message>
</context>
<context>
    <name>QrField</name>
    <message>
        <source>Hospital</source>
        <translation>Hospital</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>Department</translation>
    </message>
    <message>
        <source>Doctor</source>
        <translation>Doctor</translation>
    </message>
    <message>
        <source>Patient number</source>
        <translation>Patient number</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>Contact</translation>
    </message>
    <message>
        <source>Image type</source>
        <translation>Image type</translation>
    </message>
</context>
<context>
    <name>SaveDialogs</name>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG image (*.png)</translation>
    </message>
    <message>
        <source>DICOM file, header kept (*.dcm)</source>
        <translation>DICOM file, header kept (*.dcm)</translation>
    </message>
    <message>
        <source>DICOM de-identified Secondary Capture, identity sealed inside (*.dcm)</source>
        <translation>DICOM de-identified Secondary Capture, identity sealed inside (*.dcm)</translation>
    </message>
    <message>
        <source>DICOM file, original header restored (*.dcm)</source>
        <translation>DICOM file, original header restored (*.dcm)</translation>
    </message>
</context>
<context>
    <name>TrustedSenders</name>
    <message>
        <source>Not signed: nothing says who sent this file.</source>
        <translation>Not signed: nothing says who sent this file.</translation>
    </message>
    <message>
        <source>Signed by %1, a trusted sender (key SHA-256 %2).</source>
        <translation>Signed by %1, a trusted sender (key SHA-256 %2).</translation>
    </message>
    <message>
        <source>Signed by an unknown key (SHA-256 %1): not one of your trusted senders (Keys → Key Manager).</source>
        <translation>Signed by an unknown key (SHA-256 %1): not one of your trusted senders (Keys → Key Manager).</translation>
    </message>
</context>
<context>
    <name>medveil::ui::EmrPanel</name>
    <message>
        <source>Electronic medical record (UTF-8)</source>
        <translation>Electronic medical record (UTF-8)</translation>
    </message>
    <message>
        <source>Type or paste the record, or load a text file</source>
        <translation>Type or paste the record, or load a text file</translation>
    </message>
    <message>
        <source>&amp;Load EMR…</source>
        <translation>&amp;Load EMR…</translation>
    </message>
    <message>
        <source>Load EMR</source>
        <translation>Load EMR</translation>
    </message>
    <message>
        <source>Text (*.txt);;All files (*)</source>
        <translation>Text (*.txt);;All files (*)</translation>
    </message>
    <message>
        <source>%1 bytes</source>
        <translation>%1 bytes</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>Keys</translation>
    </message>
    <message>
        <source>recipient public key (to seal)</source>
        <translation>recipient public key (to seal)</translation>
    </message>
    <message>
        <source>your private key (to open)</source>
        <translation>your private key (to open)</translation>
    </message>
    <message>
        <source>Seal for</source>
        <translation>Seal for</translation>
    </message>
    <message>
        <source>Open with</source>
        <translation>Open with</translation>
    </message>
    <message>
        <source>&amp;Seal EMR into Image and Save…</source>
        <translation>&amp;Seal EMR into Image and Save…</translation>
    </message>
    <message>
        <source>Encoded image → HiNet hides the medical image → chaotic bit-level encryption</source>
        <translation>Encoded image → HiNet hides the medical image → chaotic bit-level encryption</translation>
    </message>
    <message>
        <source>Save Sealed Image</source>
        <translation>Save Sealed Image</translation>
    </message>
    <message>
        <source>&amp;Open Sealed Image</source>
        <translation>&amp;Open Sealed Image</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Stages</source>
        <translation>Stages</translation>
    </message>
    <message>
        <source>Medical / revealed</source>
        <translation>Medical / revealed</translation>
    </message>
    <message>
        <source>Encoded EMR</source>
        <translation>Encoded EMR</translation>
    </message>
    <message>
        <source>Stego</source>
        <translation>Stego</translation>
    </message>
    <message>
        <source>Difference ×10</source>
        <translation>Difference ×10</translation>
    </message>
    <message>
        <source>Cipher</source>
        <translation>Cipher</translation>
    </message>
    <message>
        <source>A sealed EMR image: open it with your private key</source>
        <translation>A sealed EMR image: open it with your private key</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <source>Sealing…</source>
        <translation>Sealing…</translation>
    </message>
    <message>
        <source>Sealed %1 EMR bytes · stego PSNR %2 dB · SSIM %3</source>
        <translation>Sealed %1 EMR bytes · stego PSNR %2 dB · SSIM %3</translation>
    </message>
    <message>
        <source>Opening…</source>
        <translation>Opening…</translation>
    </message>
    <message>
        <source>Opened: %1 EMR bytes restored exactly; the revealed image is shown</source>
        <translation>Opened: %1 EMR bytes restored exactly; the revealed image is shown</translation>
    </message>
    <message>
        <source>exact recovery (lossless residual %1 KB)</source>
        <translation>exact recovery (lossless residual %1 KB)</translation>
    </message>
    <message>
        <source>image bit-exact, SHA-256 verified</source>
        <translation>image bit-exact, SHA-256 verified</translation>
    </message>
    <message>
        <source>image: network only, not for diagnosis (the file carries no lossless residual)</source>
        <translation>image: network only, not for diagnosis (the file carries no lossless residual)</translation>
    </message>
    <message>
        <source>DICOM identity (moved out of the header)</source>
        <translation>DICOM identity (moved out of the header)</translation>
    </message>
    <message>
        <source>Not opened: %1</source>
        <translation>Not opened: %1</translation>
    </message>
    <message>
        <source>Exact (bit-exact image)</source>
        <translation>Exact (bit-exact image)</translation>
    </message>
    <message>
        <source>Network only (lossy)</source>
        <translation>Network only (lossy)</translation>
    </message>
    <message>
        <source>Exact: the receiver gets the original image bit for bit (a lossless residual rides along). Network only: the paper's scheme, a smaller file whose image is lossy and not for diagnosis.</source>
        <translation>Exact: the receiver gets the original image bit for bit (a lossless residual rides along). Network only: the paper's scheme, a smaller file whose image is lossy and not for diagnosis.</translation>
    </message>
    <message>
        <source>Recovery</source>
        <translation>Recovery</translation>
    </message>
    <message>
        <source>Save &amp;Record and Image…</source>
        <translation>Save &amp;Record and Image…</translation>
    </message>
    <message>
        <source>The record as UTF-8 text beside the image (DICOM with its header for a sealed DICOM), both owner-only</source>
        <translation>The record as UTF-8 text beside the image (DICOM with its header for a sealed DICOM), both owner-only</translation>
    </message>
    <message>
        <source>Save Opened Image</source>
        <translation>Save Opened Image</translation>
    </message>
    <message>
        <source>network-only recovery: the receiver gets a lossy image (PSNR %1 dB), not for diagnosis</source>
        <translation>network-only recovery: the receiver gets a lossy image (PSNR %1 dB), not for diagnosis</translation>
    </message>
    <message>
        <source>image: network only (lossy), not for diagnosis</source>
        <translation>image: network only (lossy), not for diagnosis</translation>
    </message>
    <message>
        <source>Saved the record to %1 and the image to %2</source>
        <translation>Saved the record to %1 and the image to %2</translation>
    </message>
    <message>
        <source>the image is a network-only reveal: lossy, not for diagnosis</source>
        <translation>the image is a network-only reveal: lossy, not for diagnosis</translation>
    </message>
    <message>
        <source>Revealed by the network only: lossy, not for diagnosis</source>
        <translation>Revealed by the network only: lossy, not for diagnosis</translation>
    </message>
    <message>
        <source>embedding weakened by %1 dB (stego floor %2 dB)</source>
        <translation>embedding weakened by %1 dB (stego floor %2 dB)</translation>
    </message>
</context>
<context>
    <name>medveil::ui::HistogramView</name>
    <message>
        <source>Grey-level histogram of the stage shown on the canvas</source>
        <translation>Grey-level histogram of the stage shown on the canvas</translation>
    </message>
    <message>
        <source>%1 — entropy %2 bits</source>
        <translation>%1 — entropy %2 bits</translation>
    </message>
</context>
<context>
    <name>medveil::ui::ImageCanvas</name>
    <message>
        <source>Wheel: zoom · drag: pan · double-click: fit to window</source>
        <translation>Wheel: zoom · drag: pan · double-click: fit to window</translation>
    </message>
    <message>
        <source>Open or drop a grey medical image (PNG, TIFF, BMP, JPEG)</source>
        <translation>Open or drop a grey medical image (PNG, TIFF, BMP, JPEG)</translation>
    </message>
</context>
<context>
    <name>medveil::ui::KeyManagerDialog</name>
    <message>
        <source>%1 already exists; MedVeil never replaces a key file.</source>
        <translation>%1 already exists; MedVeil never replaces a key file.</translation>
    </message>
    <message>
        <source>Key Manager</source>
        <translation>Key Manager</translation>
    </message>
    <message>
        <source>Generate a key pair</source>
        <translation>Generate a key pair</translation>
    </message>
    <message>
        <source>RSA %1 bits</source>
        <translation>RSA %1 bits</translation>
    </message>
    <message>
        <source>RSA-OAEP key size; 3072 bits matches 128-bit security</source>
        <translation>RSA-OAEP key size; 3072 bits matches 128-bit security</translation>
    </message>
    <message>
        <source>Key size:</source>
        <translation>Key size:</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <source>Folder for the key files</source>
        <translation>Folder for the key files</translation>
    </message>
    <message>
        <source>Folder:</source>
        <translation>Folder:</translation>
    </message>
    <message>
        <source>Files NAME.private.pem and NAME.public.pem are written</source>
        <translation>Files NAME.private.pem and NAME.public.pem are written</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Name:</translation>
    </message>
    <message>
        <source>Protects the private key file (AES-256, PBKDF2); at least %1 characters</source>
        <translation>Protects the private key file (AES-256, PBKDF2); at least %1 characters</translation>
    </message>
    <message>
        <source>Passphrase:</source>
        <translation>Passphrase:</translation>
    </message>
    <message>
        <source>Repeat passphrase:</source>
        <translation>Repeat passphrase:</translation>
    </message>
    <message>
        <source>&amp;Generate</source>
        <translation>&amp;Generate</translation>
    </message>
    <message>
        <source>Key file</source>
        <translation>Key file</translation>
    </message>
    <message>
        <source>a .pem file</source>
        <translation>a .pem file</translation>
    </message>
    <message>
        <source>Open…</source>
        <translation>Open…</translation>
    </message>
    <message>
        <source>Open a key file</source>
        <translation>Open a key file</translation>
    </message>
    <message>
        <source>PEM keys (*.pem);;All files (*)</source>
        <translation>PEM keys (*.pem);;All files (*)</translation>
    </message>
    <message>
        <source>Use as &amp;Recipient Key</source>
        <translation>Use as &amp;Recipient Key</translation>
    </message>
    <message>
        <source>Protect and EMR Seal encrypt for this key</source>
        <translation>Protect and EMR Seal encrypt for this key</translation>
    </message>
    <message>
        <source>Use as My &amp;Private Key</source>
        <translation>Use as My &amp;Private Key</translation>
    </message>
    <message>
        <source>Recover and EMR Open decrypt with this key</source>
        <translation>Recover and EMR Open decrypt with this key</translation>
    </message>
    <message>
        <source>&amp;Export Public Key…</source>
        <translation>&amp;Export Public Key…</translation>
    </message>
    <message>
        <source>Change &amp;Passphrase…</source>
        <translation>Change &amp;Passphrase…</translation>
    </message>
    <message>
        <source>The two passphrases differ.</source>
        <translation>The two passphrases differ.</translation>
    </message>
    <message>
        <source>Choose a passphrase of at least %1 characters: it is all that protects the private key file.</source>
        <translation>Choose a passphrase of at least %1 characters: it is all that protects the private key file.</translation>
    </message>
    <message>
        <source>Give the key files a name (no slashes).</source>
        <translation>Give the key files a name (no slashes).</translation>
    </message>
    <message>
        <source>Generating an RSA-%1 key pair…</source>
        <translation>Generating an RSA-%1 key pair…</translation>
    </message>
    <message>
        <source>Wrote %1 (private, passphrase-protected, readable only by you) and %2 (public: give it to whoever sends you protected images).
Fingerprint: %3</source>
        <translation>Wrote %1 (private, passphrase-protected, readable only by you) and %2 (public: give it to whoever sends you protected images).
Fingerprint: %3</translation>
    </message>
    <message>
        <source>Cannot read %1.</source>
        <translation>Cannot read %1.</translation>
    </message>
    <message>
        <source>Private key, encrypted with a passphrase.</source>
        <translation>Private key, encrypted with a passphrase.</translation>
    </message>
    <message>
        <source>Not an RSA key MedVeil can use: %1</source>
        <translation>Not an RSA key MedVeil can use: %1</translation>
    </message>
    <message>
        <source>Private key, NOT protected by a passphrase</source>
        <translation>Private key, NOT protected by a passphrase</translation>
    </message>
    <message>
        <source>Public key</source>
        <translation>Public key</translation>
    </message>
    <message>
        <source>%1, RSA %2 bits.
Fingerprint (SHA-256): %3</source>
        <translation>%1, RSA %2 bits.
Fingerprint (SHA-256): %3</translation>
    </message>
    <message>
        <source>Repeat the new passphrase:</source>
        <translation>Repeat the new passphrase:</translation>
    </message>
    <message>
        <source>The two passphrases differ; nothing was changed.</source>
        <translation>The two passphrases differ; nothing was changed.</translation>
    </message>
    <message>
        <source>Export Public Key</source>
        <translation>Export Public Key</translation>
    </message>
    <message>
        <source>Passphrase of %1:</source>
        <translation>Passphrase of %1:</translation>
    </message>
    <message>
        <source>Save the public key</source>
        <translation>Save the public key</translation>
    </message>
    <message>
        <source>PEM keys (*.pem)</source>
        <translation>PEM keys (*.pem)</translation>
    </message>
    <message>
        <source>Change Passphrase</source>
        <translation>Change Passphrase</translation>
    </message>
    <message>
        <source>Current passphrase:</source>
        <translation>Current passphrase:</translation>
    </message>
    <message>
        <source>New passphrase:</source>
        <translation>New passphrase:</translation>
    </message>
    <message>
        <source>The folder %1 does not exist and cannot be created.</source>
        <translation>The folder %1 does not exist and cannot be created.</translation>
    </message>
    <message>
        <source>This is a private key: export its public key and choose that</source>
        <translation>This is a private key: export its public key and choose that</translation>
    </message>
    <message>
        <source>&amp;Trust as Sender…</source>
        <translation>&amp;Trust as Sender…</translation>
    </message>
    <message>
        <source>Files signed with this key are shown as coming from a trusted sender</source>
        <translation>Files signed with this key are shown as coming from a trusted sender</translation>
    </message>
    <message>
        <source>Trust as Sender</source>
        <translation>Trust as Sender</translation>
    </message>
    <message>
        <source>Name of the sender (shown when a file is signed by this key):</source>
        <translation>Name of the sender (shown when a file is signed by this key):</translation>
    </message>
    <message>
        <source>Trusted senders</source>
        <translation>Trusted senders</translation>
    </message>
    <message>
        <source>&amp;Remove Sender</source>
        <translation>&amp;Remove Sender</translation>
    </message>
    <message>
        <source>%1 — SHA-256 %2</source>
        <translation>%1 — SHA-256 %2</translation>
    </message>
    <message>
        <source>Use as My &amp;Signing Key</source>
        <translation>Use as My &amp;Signing Key</translation>
    </message>
    <message>
        <source>Protect, EMR Seal and the series dialog sign with this private key, so that recipients can check who made the file</source>
        <translation>Protect, EMR Seal and the series dialog sign with this private key, so that recipients can check who made the file</translation>
    </message>
    <message>
        <source>Signing key: none (files you make are not signed)</source>
        <translation>Signing key: none (files you make are not signed)</translation>
    </message>
    <message>
        <source>Signing key: %1</source>
        <translation>Signing key: %1</translation>
    </message>
    <message>
        <source>Remove Sender</source>
        <translation>Remove Sender</translation>
    </message>
</context>
<context>
    <name>medveil::ui::KeyPathField</name>
    <message>
        <source>…</source>
        <translation>…</translation>
    </message>
    <message>
        <source>Choose the recipient's public key</source>
        <translation>Choose the recipient's public key</translation>
    </message>
    <message>
        <source>Choose your private key</source>
        <translation>Choose your private key</translation>
    </message>
    <message>
        <source>Recipient public key</source>
        <translation>Recipient public key</translation>
    </message>
    <message>
        <source>Private key</source>
        <translation>Private key</translation>
    </message>
    <message>
        <source>PEM keys (*.pem *.pub);;All files (*)</source>
        <translation>PEM keys (*.pem *.pub);;All files (*)</translation>
    </message>
    <message>
        <source>PEM keys (*.pem);;All files (*)</source>
        <translation>PEM keys (*.pem);;All files (*)</translation>
    </message>
</context>
<context>
    <name>medveil::ui::MainWindow</name>
    <message>
        <source>MedVeil</source>
        <translation>MedVeil</translation>
    </message>
    <message>
        <source>Image width × height in pixels</source>
        <translation>Image width × height in pixels</translation>
    </message>
    <message>
        <source>Bits per pixel</source>
        <translation>Bits per pixel</translation>
    </message>
    <message>
        <source>L %1  W %2</source>
        <translation>L %1  W %2</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>Protect</source>
        <translation>Protect</translation>
    </message>
    <message>
        <source>Recover</source>
        <translation>Recover</translation>
    </message>
    <message>
        <source>EMR</source>
        <translation>EMR</translation>
    </message>
    <message>
        <source>Hide the medical image in its record's encoded image and encrypt (Guo et al. 2025)</source>
        <translation>Hide the medical image in its record's encoded image and encrypt (Guo et al. 2025)</translation>
    </message>
    <message>
        <source>Hide the key region and cover it with a QR code (Li et al. 2020)</source>
        <translation>Hide the key region and cover it with a QR code (Li et al. 2020)</translation>
    </message>
    <message>
        <source>Restore a protected image with your private key</source>
        <translation>Restore a protected image with your private key</translation>
    </message>
    <message>
        <source>Workflow</source>
        <translation>Workflow</translation>
    </message>
    <message>
        <source>Protected image saved to %1</source>
        <translation>Protected image saved to %1</translation>
    </message>
    <message>
        <source>Cannot protect</source>
        <translation>Cannot protect</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>&amp;Open…</translation>
    </message>
    <message>
        <source>Open a grey medical image</source>
        <translation>Open a grey medical image</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>Open &amp;Recent</translation>
    </message>
    <message>
        <source>Save &amp;As…</source>
        <translation>Save &amp;As…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Edit</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>&amp;Preferences…</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <source>Zoom &amp;In</source>
        <translation>Zoom &amp;In</translation>
    </message>
    <message>
        <source>Zoom &amp;Out</source>
        <translation>Zoom &amp;Out</translation>
    </message>
    <message>
        <source>&amp;Fit to Window</source>
        <translation>&amp;Fit to Window</translation>
    </message>
    <message>
        <source>&amp;Actual Size</source>
        <translation>&amp;Actual Size</translation>
    </message>
    <message>
        <source>&amp;Window/Level</source>
        <translation>&amp;Window/Level</translation>
    </message>
    <message>
        <source>&amp;Reset to Image Range</source>
        <translation>&amp;Reset to Image Range</translation>
    </message>
    <message>
        <source>Or drag with the right mouse button: left/right = width, up/down = level</source>
        <translation>Or drag with the right mouse button: left/right = width, up/down = level</translation>
    </message>
    <message>
        <source>&amp;Keys</source>
        <translation>&amp;Keys</translation>
    </message>
    <message>
        <source>Key &amp;Manager…</source>
        <translation>Key &amp;Manager…</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>&amp;About MedVeil</source>
        <translation>&amp;About MedVeil</translation>
    </message>
    <message>
        <source>About MedVeil</source>
        <translation>About MedVeil</translation>
    </message>
    <message>
        <source>&lt;h3&gt;MedVeil %1&lt;/h3&gt;&lt;p&gt;Protects medical images and the records that travel with them.&lt;/p&gt;&lt;p&gt;Key-region protection: Li J., Zhang Z., Li S. et al., &lt;i&gt;A partial encryption algorithm for medical images based on quick response code and reversible data hiding technology&lt;/i&gt;, BMC Medical Informatics and Decision Making 20, 297 (2020).&lt;/p&gt;&lt;p&gt;EMR hidden encryption: Guo C., Li M., Li H., Wang H., Wang X., &lt;i&gt;Design of Encoding-Domain Hidden Encryption for Electronic Medical Records in Medical Images&lt;/i&gt;, Journal of Applied Sciences 43(5):828–848 (2025).&lt;/p&gt;</source>
        <translation>&lt;h3&gt;MedVeil %1&lt;/h3&gt;&lt;p&gt;Protects medical images and the records that travel with them.&lt;/p&gt;&lt;p&gt;Key-region protection: Li J., Zhang Z., Li S. et al., &lt;i&gt;A partial encryption algorithm for medical images based on quick response code and reversible data hiding technology&lt;/i&gt;, BMC Medical Informatics and Decision Making 20, 297 (2020).&lt;/p&gt;&lt;p&gt;EMR hidden encryption: Guo C., Li M., Li H., Wang H., Wang X., &lt;i&gt;Design of Encoding-Domain Hidden Encryption for Electronic Medical Records in Medical Images&lt;/i&gt;, Journal of Applied Sciences 43(5):828–848 (2025).&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Recipient key: %1</source>
        <translation>Recipient key: %1</translation>
    </message>
    <message>
        <source>Private key: %1</source>
        <translation>Private key: %1</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(none)</translation>
    </message>
    <message>
        <source>&amp;Remember Recent Files</source>
        <translation>&amp;Remember Recent Files</translation>
    </message>
    <message>
        <source>File names can carry patient names; turn this off to keep no list</source>
        <translation>File names can carry patient names; turn this off to keep no list</translation>
    </message>
    <message>
        <source>&amp;Clear List</source>
        <translation>&amp;Clear List</translation>
    </message>
    <message>
        <source>Open Image</source>
        <translation>Open Image</translation>
    </message>
    <message>
        <source>Save Image As</source>
        <translation>Save Image As</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG image (*.png)</translation>
    </message>
    <message>
        <source>Opening %1…</source>
        <translation>Opening %1…</translation>
    </message>
    <message>
        <source>Cannot open image</source>
        <translation>Cannot open image</translation>
    </message>
    <message>
        <source>%1 × %2</source>
        <translation>%1 × %2</translation>
    </message>
    <message>
        <source>%1-bit</source>
        <translation>%1-bit</translation>
    </message>
    <message>
        <source>%1 — MedVeil</source>
        <translation>%1 — MedVeil</translation>
    </message>
    <message>
        <source>Opened %1</source>
        <translation>Opened %1</translation>
    </message>
    <message>
        <source>Cannot save image</source>
        <translation>Cannot save image</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>Saved %1</translation>
    </message>
    <message>
        <source>(%1, %2) = %3</source>
        <translation>(%1, %2) = %3</translation>
    </message>
    <message>
        <source>&amp;Teaching</source>
        <translation>&amp;Teaching</translation>
    </message>
    <message>
        <source>&amp;Pipeline Walkthrough…</source>
        <translation>&amp;Pipeline Walkthrough…</translation>
    </message>
    <message>
        <source>Outpatient note. Chief complaint: headache for three days. MRI brain: no acute findings. Plan: review in two weeks.</source>
        <translation>Outpatient note. Chief complaint: headache for three days. MRI brain: no acute findings. Plan: review in two weeks.</translation>
    </message>
    <message>
        <source>Images (*.png *.tif *.tiff *.bmp *.jpg *.jpeg *.dcm);;DICOM (*.dcm);;All files (*)</source>
        <translation>Images (*.png *.tif *.tiff *.bmp *.jpg *.jpeg *.dcm);;DICOM (*.dcm);;All files (*)</translation>
    </message>
    <message>
        <source>&amp;Invert Grey Levels</source>
        <translation>&amp;Invert Grey Levels</translation>
    </message>
    <message>
        <source>Display only: the pixels are untouched</source>
        <translation>Display only: the pixels are untouched</translation>
    </message>
    <message>
        <source>&amp;Centre and Width…</source>
        <translation>&amp;Centre and Width…</translation>
    </message>
    <message>
        <source>&amp;Keyboard Shortcuts</source>
        <translation>&amp;Keyboard Shortcuts</translation>
    </message>
    <message>
        <source>Window Centre and Width</source>
        <translation>Window Centre and Width</translation>
    </message>
    <message>
        <source>Centre (modality units, e.g. HU)</source>
        <translation>Centre (modality units, e.g. HU)</translation>
    </message>
    <message>
        <source>Centre</source>
        <translation>Centre</translation>
    </message>
    <message>
        <source>Width (modality units)</source>
        <translation>Width (modality units)</translation>
    </message>
    <message>
        <source>Width</source>
        <translation>Width</translation>
    </message>
    <message>
        <source>Space</source>
        <translation>Space</translation>
    </message>
    <message>
        <source>Show the protected preview / the opened image</source>
        <translation>Show the protected preview / the opened image</translation>
    </message>
    <message>
        <source>Right-drag</source>
        <translation>Right-drag</translation>
    </message>
    <message>
        <source>Window width (left/right) and level (up/down)</source>
        <translation>Window width (left/right) and level (up/down)</translation>
    </message>
    <message>
        <source>Shift+drag, Delete</source>
        <translation>Shift+drag, Delete</translation>
    </message>
    <message>
        <source>Add a further key region, remove the selected one</source>
        <translation>Add a further key region, remove the selected one</translation>
    </message>
    <message>
        <source>Keyboard Shortcuts</source>
        <translation>Keyboard Shortcuts</translation>
    </message>
    <message>
        <source>Pixel position and value under the cursor (HU for CT, with the stored value beside it)</source>
        <translation>Pixel position and value under the cursor (HU for CT, with the stored value beside it)</translation>
    </message>
    <message>
        <source>Window level (centre) and width, in modality units (HU for CT) for DICOM files with a rescale, stored values otherwise; drag with the right mouse button or pick a preset in View ▸ Window/Level</source>
        <translation>Window level (centre) and width, in modality units (HU for CT) for DICOM files with a rescale, stored values otherwise; drag with the right mouse button or pick a preset in View ▸ Window/Level</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Undo</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Redo</translation>
    </message>
    <message>
        <source>Centre %1, width %2 (HU); for CT DICOM files</source>
        <translation>Centre %1, width %2 (HU); for CT DICOM files</translation>
    </message>
    <message>
        <source>MedVeil &amp;Manual</source>
        <translation>MedVeil &amp;Manual</translation>
    </message>
    <message>
        <source>L %1  W %2%3</source>
        <translation>L %1  W %2%3</translation>
    </message>
    <message>
        <source>MedVeil Manual</source>
        <translation>MedVeil Manual</translation>
    </message>
    <message>
        <source>The manual is missing from this build.</source>
        <translation>The manual is missing from this build.</translation>
    </message>
    <message>
        <source>(%1, %2) = %3%4 (stored %5)</source>
        <translation>(%1, %2) = %3%4 (stored %5)</translation>
    </message>
    <message>
        <source>Open &amp;Folder…</source>
        <translation>Open &amp;Folder…</translation>
    </message>
    <message>
        <source>Open a folder of DICOM images</source>
        <translation>Open a folder of DICOM images</translation>
    </message>
    <message>
        <source>Browse the DICOM studies and series in a folder</source>
        <translation>Browse the DICOM studies and series in a folder</translation>
    </message>
    <message>
        <source>DICOM &amp;Tags…</source>
        <translation>DICOM &amp;Tags…</translation>
    </message>
    <message>
        <source>DICOM Tags — %1</source>
        <translation>DICOM Tags — %1</translation>
    </message>
    <message>
        <source>Filter by tag, name or value</source>
        <translation>Filter by tag, name or value</translation>
    </message>
    <message>
        <source>Tag</source>
        <translation>Tag</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>VR</source>
        <translation>VR</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Value</translation>
    </message>
    <message>
        <source>Pipeline Walkthrough</source>
        <translation>Pipeline Walkthrough</translation>
    </message>
    <message>
        <source>%1 is %2. The walkthrough protects the image it shows, so it runs on an unprotected image only: recover or open the original first, then start it again.</source>
        <translation>%1 is %2. The walkthrough protects the image it shows, so it runs on an unprotected image only: recover or open the original first, then start it again.</translation>
    </message>
    <message>
        <source>&amp;PACS…</source>
        <translation>&amp;PACS…</translation>
    </message>
    <message>
        <source>Query, retrieve from and send to a PACS or another DICOM node</source>
        <translation>Query, retrieve from and send to a PACS or another DICOM node</translation>
    </message>
</context>
<context>
    <name>medveil::ui::PacsDialog</name>
    <message>
        <source>PACS</source>
        <translation>PACS</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>Node</translation>
    </message>
    <message>
        <source>The DICOM nodes you configured</source>
        <translation>The DICOM nodes you configured</translation>
    </message>
    <message>
        <source>(unsaved node)</source>
        <translation>(unsaved node)</translation>
    </message>
    <message>
        <source>Save &amp;Node</source>
        <translation>Save &amp;Node</translation>
    </message>
    <message>
        <source>Remember this node under its name (no patient data is stored)</source>
        <translation>Remember this node under its name (no patient data is stored)</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Remove</translation>
    </message>
    <message>
        <source>&amp;Verify</source>
        <translation>&amp;Verify</translation>
    </message>
    <message>
        <source>C-ECHO: check that the node answers and accepts MedVeil's AE title</source>
        <translation>C-ECHO: check that the node answers and accepts MedVeil's AE title</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Name:</translation>
    </message>
    <message>
        <source>Host:</source>
        <translation>Host:</translation>
    </message>
    <message>
        <source>Port:</source>
        <translation>Port:</translation>
    </message>
    <message>
        <source>Node's AE title:</source>
        <translation>Node's AE title:</translation>
    </message>
    <message>
        <source>MedVeil's AE title:</source>
        <translation>MedVeil's AE title:</translation>
    </message>
    <message>
        <source>Find Studies</source>
        <translation>Find Studies</translation>
    </message>
    <message>
        <source>e.g. DOE^* (* and ? match anything)</source>
        <translation>e.g. DOE^* (* and ? match anything)</translation>
    </message>
    <message>
        <source>YYYYMMDD</source>
        <translation>YYYYMMDD</translation>
    </message>
    <message>
        <source>to</source>
        <translation>to</translation>
    </message>
    <message>
        <source>&amp;Search</source>
        <translation>&amp;Search</translation>
    </message>
    <message>
        <source>Patient ID:</source>
        <translation>Patient ID:</translation>
    </message>
    <message>
        <source>Patient name:</source>
        <translation>Patient name:</translation>
    </message>
    <message>
        <source>Study date:</source>
        <translation>Study date:</translation>
    </message>
    <message>
        <source>Accession number:</source>
        <translation>Accession number:</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>Patient ID</source>
        <translation>Patient ID</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>Patient</translation>
    </message>
    <message>
        <source>Accession</source>
        <translation>Accession</translation>
    </message>
    <message>
        <source>Modalities</source>
        <translation>Modalities</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Description</translation>
    </message>
    <message>
        <source>Series</source>
        <translation>Series</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>Images</translation>
    </message>
    <message>
        <source>Choose or enter a node, then Verify or Search.</source>
        <translation>Choose or enter a node, then Verify or Search.</translation>
    </message>
    <message>
        <source>Show &amp;Patient</source>
        <translation>Show &amp;Patient</translation>
    </message>
    <message>
        <source>List the patients' names (hidden on a shared screen)</source>
        <translation>List the patients' names (hidden on a shared screen)</translation>
    </message>
    <message>
        <source>Re&amp;trieve…</source>
        <translation>Re&amp;trieve…</translation>
    </message>
    <message>
        <source>Se&amp;nd Files…</source>
        <translation>Se&amp;nd Files…</translation>
    </message>
    <message>
        <source>Send DICOM files (protected, sealed or recovered) to the node (C-STORE)</source>
        <translation>Send DICOM files (protected, sealed or recovered) to the node (C-STORE)</translation>
    </message>
    <message>
        <source>Local PACS</source>
        <translation>Local PACS</translation>
    </message>
    <message>
        <source>Give the node a name to save it.</source>
        <translation>Give the node a name to save it.</translation>
    </message>
    <message>
        <source>Node “%1” saved.</source>
        <translation>Node “%1” saved.</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Cancelled.</translation>
    </message>
    <message>
        <source>Verification failed: %1</source>
        <translation>Verification failed: %1</translation>
    </message>
    <message>
        <source>%1 answered the verification (C-ECHO) in %2 ms.</source>
        <translation>%1 answered the verification (C-ECHO) in %2 ms.</translation>
    </message>
    <message>
        <source>Verifying %1…</source>
        <translation>Verifying %1…</translation>
    </message>
    <message>
        <source>The query failed: %1</source>
        <translation>The query failed: %1</translation>
    </message>
    <message>
        <source>Studies found: %1.</source>
        <translation>Studies found: %1.</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Searching…</translation>
    </message>
    <message>
        <source>hidden</source>
        <translation>hidden</translation>
    </message>
    <message>
        <source>The retrieve failed: %1</source>
        <translation>The retrieve failed: %1</translation>
    </message>
    <message>
        <source>Images retrieved into %1: %2.</source>
        <translation>Images retrieved into %1: %2.</translation>
    </message>
    <message>
        <source>Retrieving the study…</source>
        <translation>Retrieving the study…</translation>
    </message>
    <message>
        <source>Sending failed: %1</source>
        <translation>Sending failed: %1</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Stored by the node: %1 of %2 files.</source>
        <translation>Stored by the node: %1 of %2 files.</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>Sending…</translation>
    </message>
    <message>
        <source>Retrieve the study into a folder</source>
        <translation>Retrieve the study into a folder</translation>
    </message>
    <message>
        <source>Send DICOM files</source>
        <translation>Send DICOM files</translation>
    </message>
    <message>
        <source>DICOM files (*.dcm *.DCM);;All files (*)</source>
        <translation>DICOM files (*.dcm *.DCM);;All files (*)</translation>
    </message>
    <message>
        <source>Retrieve the selected study or series (C-GET) into a folder and browse its series</source>
        <translation>Retrieve the selected study or series (C-GET) into a folder and browse its series</translation>
    </message>
    <message>
        <source>The series query failed: %1</source>
        <translation>The series query failed: %1</translation>
    </message>
    <message>
        <source>The study list changed; expand the study again.</source>
        <translation>The study list changed; expand the study again.</translation>
    </message>
    <message>
        <source>Series %1</source>
        <translation>Series %1</translation>
    </message>
    <message>
        <source>Series in the study: %1.</source>
        <translation>Series in the study: %1.</translation>
    </message>
    <message>
        <source>Listing the study's series…</source>
        <translation>Listing the study's series…</translation>
    </message>
    <message>
        <source>Retrieving the series…</source>
        <translation>Retrieving the series…</translation>
    </message>
</context>
<context>
    <name>medveil::ui::PreferencesDialog</name>
    <message>
        <source>Preferences</source>
        <translation>Preferences</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>System default</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Language:</translation>
    </message>
    <message>
        <source>Remember recently opened file names</source>
        <translation>Remember recently opened file names</translation>
    </message>
    <message>
        <source>File names can identify patients; turn this off on shared workstations</source>
        <translation>File names can identify patients; turn this off on shared workstations</translation>
    </message>
    <message>
        <source>A new language takes effect when MedVeil is started again.</source>
        <translation>A new language takes effect when MedVeil is started again.</translation>
    </message>
</context>
<context>
    <name>medveil::ui::ProtectPanel</name>
    <message>
        <source>Key region</source>
        <translation>Key region</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>&amp;Next candidate</source>
        <translation>&amp;Next candidate</translation>
    </message>
    <message>
        <source>Step to the region with the next-largest coefficient of variation (σ/μ)</source>
        <translation>Step to the region with the next-largest coefficient of variation (σ/μ)</translation>
    </message>
    <message>
        <source>Texture threshold T (block MSE &gt; T)</source>
        <translation>Texture threshold T (block MSE &gt; T)</translation>
    </message>
    <message>
        <source>Higher T embeds into fewer, busier blocks: better quality, less capacity</source>
        <translation>Higher T embeds into fewer, busier blocks: better quality, less capacity</translation>
    </message>
    <message>
        <source>&amp;Auto</source>
        <translation>&amp;Auto</translation>
    </message>
    <message>
        <source>Largest T whose texture blocks still hold the key region</source>
        <translation>Largest T whose texture blocks still hold the key region</translation>
    </message>
    <message>
        <source>Public information in the QR code</source>
        <translation>Public information in the QR code</translation>
    </message>
    <message>
        <source>Shown to anyone who scans the QR code; not remembered</source>
        <translation>Shown to anyone who scans the QR code; not remembered</translation>
    </message>
    <message>
        <source>Shown to anyone who scans the QR code</source>
        <translation>Shown to anyone who scans the QR code</translation>
    </message>
    <message>
        <source>Protected image</source>
        <translation>Protected image</translation>
    </message>
    <message>
        <source>Open an image to start</source>
        <translation>Open an image to start</translation>
    </message>
    <message>
        <source>payload / capacity</source>
        <translation>payload / capacity</translation>
    </message>
    <message>
        <source>Encrypted key-region bits against what the texture blocks can hold</source>
        <translation>Encrypted key-region bits against what the texture blocks can hold</translation>
    </message>
    <message>
        <source>Show &amp;original</source>
        <translation>Show &amp;original</translation>
    </message>
    <message>
        <source>Toggle between the original and the protected preview (Space)</source>
        <translation>Toggle between the original and the protected preview (Space)</translation>
    </message>
    <message>
        <source>Recipient</source>
        <translation>Recipient</translation>
    </message>
    <message>
        <source>public key (PEM) of who may recover</source>
        <translation>public key (PEM) of who may recover</translation>
    </message>
    <message>
        <source>&amp;Protect and Save…</source>
        <translation>&amp;Protect and Save…</translation>
    </message>
    <message>
        <source>Protect with the recipient's key and save the PNG (Ctrl+P)</source>
        <translation>Protect with the recipient's key and save the PNG (Ctrl+P)</translation>
    </message>
    <message>
        <source>Open an unprotected image to protect it</source>
        <translation>Open an unprotected image to protect it</translation>
    </message>
    <message>
        <source>Finding the key region…</source>
        <translation>Finding the key region…</translation>
    </message>
    <message>
        <source>Computing the protected preview…</source>
        <translation>Computing the protected preview…</translation>
    </message>
    <message>
        <source>%1, %2  %3 × %4</source>
        <translation>%1, %2  %3 × %4</translation>
    </message>
    <message>
        <source>%1 / %2 bits</source>
        <translation>%1 / %2 bits</translation>
    </message>
    <message>
        <source>Show &amp;protected</source>
        <translation>Show &amp;protected</translation>
    </message>
    <message>
        <source>Save Protected Image</source>
        <translation>Save Protected Image</translation>
    </message>
    <message>
        <source>Drag the region to move it, its corners to resize it; Shift+drag on the image adds a further region (hidden too, filled grey), Delete removes the selected one</source>
        <translation>Drag the region to move it, its corners to resize it; Shift+drag on the image adds a further region (hidden too, filled grey), Delete removes the selected one</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Remove</translation>
    </message>
    <message>
        <source>Remove the selected further region (Delete on the image)</source>
        <translation>Remove the selected further region (Delete on the image)</translation>
    </message>
    <message>
        <source>%1: %2, %3  %4 × %5 (filled grey)</source>
        <translation>%1: %2, %3  %4 × %5 (filled grey)</translation>
    </message>
    <message>
        <source>Arnold (the paper)</source>
        <translation>Arnold (the paper)</translation>
    </message>
    <message>
        <source>Keyed permutation</source>
        <translation>Keyed permutation</translation>
    </message>
    <message>
        <source>How the embedded texture blocks are scrambled. Arnold's map can be undone without the key by trying its few periods; the keyed permutation leaves only each block's mean (see Teaching → Pipeline walkthrough)</source>
        <translation>How the embedded texture blocks are scrambled. Arnold's map can be undone without the key by trying its few periods; the keyed permutation leaves only each block's mean (see Teaching → Pipeline walkthrough)</translation>
    </message>
    <message>
        <source>Scrambling</source>
        <translation>Scrambling</translation>
    </message>
    <message>
        <source>PSNR %1 dB (peak %2) · SSIM %3 · T = %4 · %5 pass(es) · QR version %6 · %7-bit key</source>
        <translation>PSNR %1 dB (peak %2) · SSIM %3 · T = %4 · %5 pass(es) · QR version %6 · %7-bit key</translation>
    </message>
    <message>
        <source>no recipient key chosen: previewed for a %1-bit key</source>
        <translation>no recipient key chosen: previewed for a %1-bit key</translation>
    </message>
</context>
<context>
    <name>medveil::ui::RecoverPanel</name>
    <message>
        <source>QR code (public information, no key needed)</source>
        <translation>QR code (public information, no key needed)</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Field</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Value</translation>
    </message>
    <message>
        <source>Open a protected image</source>
        <translation>Open a protected image</translation>
    </message>
    <message>
        <source>Private key</source>
        <translation>Private key</translation>
    </message>
    <message>
        <source>your private key (PEM)</source>
        <translation>your private key (PEM)</translation>
    </message>
    <message>
        <source>&amp;Recover Original</source>
        <translation>&amp;Recover Original</translation>
    </message>
    <message>
        <source>Decrypt with the private key and restore the original bit for bit (Ctrl+R)</source>
        <translation>Decrypt with the private key and restore the original bit for bit (Ctrl+R)</translation>
    </message>
    <message>
        <source>Protected</source>
        <translation>Protected</translation>
    </message>
    <message>
        <source>Recovered</source>
        <translation>Recovered</translation>
    </message>
    <message>
        <source>&amp;Save Recovered…</source>
        <translation>&amp;Save Recovered…</translation>
    </message>
    <message>
        <source>Save Recovered Image</source>
        <translation>Save Recovered Image</translation>
    </message>
    <message>
        <source>Recovering…</source>
        <translation>Recovering…</translation>
    </message>
    <message>
        <source>Identical to the original (SHA-256 verified)</source>
        <translation>Identical to the original (SHA-256 verified)</translation>
    </message>
    <message>
        <source>Not recovered: %1</source>
        <translation>Not recovered: %1</translation>
    </message>
    <message>
        <source>— changed 8×8 blocks marked in red: %1</source>
        <translation>— changed 8×8 blocks marked in red: %1</translation>
    </message>
    <message>
        <source>Signature INVALID: %1</source>
        <translation>Signature INVALID: %1</translation>
    </message>
    <message>
        <source>Reading the QR code…</source>
        <translation>Reading the QR code…</translation>
    </message>
</context>
<context>
    <name>medveil::ui::RegionHistory</name>
    <message>
        <source>Add Region</source>
        <translation>Add Region</translation>
    </message>
    <message>
        <source>Remove Region</source>
        <translation>Remove Region</translation>
    </message>
    <message>
        <source>Move Region</source>
        <translation>Move Region</translation>
    </message>
</context>
<context>
    <name>medveil::ui::SeriesBrowser</name>
    <message>
        <source>Series in %1</source>
        <translation>Series in %1</translation>
    </message>
    <message>
        <source>Studies and series found in the folder</source>
        <translation>Studies and series found in the folder</translation>
    </message>
    <message>
        <source>Patient: hidden</source>
        <translation>Patient: hidden</translation>
    </message>
    <message>
        <source>Show Patient</source>
        <translation>Show Patient</translation>
    </message>
    <message>
        <source>Show the patient's name and ID of the selected series</source>
        <translation>Show the patient's name and ID of the selected series</translation>
    </message>
    <message>
        <source>The series' images by instance number; double-click opens one</source>
        <translation>The series' images by instance number; double-click opens one</translation>
    </message>
    <message>
        <source>Reading the DICOM headers…</source>
        <translation>Reading the DICOM headers…</translation>
    </message>
    <message>
        <source>&amp;Open Image</source>
        <translation>&amp;Open Image</translation>
    </message>
    <message>
        <source>&amp;Protect Series…</source>
        <translation>&amp;Protect Series…</translation>
    </message>
    <message>
        <source>Protect every image of the series for the Protect tab's recipient key, each with its own automatic key region</source>
        <translation>Protect every image of the series for the Protect tab's recipient key, each with its own automatic key region</translation>
    </message>
    <message>
        <source>&amp;Seal Series…</source>
        <translation>&amp;Seal Series…</translation>
    </message>
    <message>
        <source>Seal the EMR tab's record into every image of the series for its recipient key</source>
        <translation>Seal the EMR tab's record into every image of the series for its recipient key</translation>
    </message>
    <message>
        <source>%1 · series %2 · %3</source>
        <translation>%1 · series %2 · %3</translation>
    </message>
    <message>
        <source>(no modality)</source>
        <translation>(no modality)</translation>
    </message>
    <message>
        <source>1 image</source>
        <translation>1 image</translation>
    </message>
    <message>
        <source>%1 images</source>
        <translation>%1 images</translation>
    </message>
    <message>
        <source>study of %1</source>
        <translation>study of %1</translation>
    </message>
    <message>
        <source>No DICOM images in this folder.</source>
        <translation>No DICOM images in this folder.</translation>
    </message>
    <message>
        <source>%1, %2.</source>
        <translation>%1, %2.</translation>
    </message>
    <message>
        <source>1 series</source>
        <translation>1 series</translation>
    </message>
    <message>
        <source>%1 series</source>
        <translation>%1 series</translation>
    </message>
    <message>
        <source>1 other file skipped.</source>
        <translation>1 other file skipped.</translation>
    </message>
    <message>
        <source>%1 other files skipped.</source>
        <translation>%1 other files skipped.</translation>
    </message>
    <message>
        <source>Only the first 20,000 files were read.</source>
        <translation>Only the first 20,000 files were read.</translation>
    </message>
    <message>
        <source>%1  (instance %2)</source>
        <translation>%1  (instance %2)</translation>
    </message>
    <message>
        <source>Hide Patient</source>
        <translation>Hide Patient</translation>
    </message>
    <message>
        <source>Patient: %1 (ID %2)</source>
        <translation>Patient: %1 (ID %2)</translation>
    </message>
    <message>
        <source>(no name)</source>
        <translation>(no name)</translation>
    </message>
    <message>
        <source>none</source>
        <translation>none</translation>
    </message>
    <message>
        <source>Write the series to</source>
        <translation>Write the series to</translation>
    </message>
    <message>
        <source>Choose the recipient's public key in the EMR tab first.</source>
        <translation>Choose the recipient's public key in the EMR tab first.</translation>
    </message>
    <message>
        <source>Choose the recipient's public key in the Protect tab first.</source>
        <translation>Choose the recipient's public key in the Protect tab first.</translation>
    </message>
    <message>
        <source>Type or load the record in the EMR tab first.</source>
        <translation>Type or load the record in the EMR tab first.</translation>
    </message>
    <message>
        <source>Sealing the series' %1 images…</source>
        <translation>Sealing the series' %1 images…</translation>
    </message>
    <message>
        <source>Protecting the series' %1 images…</source>
        <translation>Protecting the series' %1 images…</translation>
    </message>
    <message>
        <source>Sealed %1 of %2 images</source>
        <translation>Sealed %1 of %2 images</translation>
    </message>
    <message>
        <source>Protected %1 of %2 images</source>
        <translation>Protected %1 of %2 images</translation>
    </message>
    <message>
        <source>(cancelled)</source>
        <translation>(cancelled)</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>medveil::ui::SignAsSenderBox</name>
    <message>
        <source>Sign as sender (%1)</source>
        <translation>Sign as sender (%1)</translation>
    </message>
    <message>
        <source>Sign as sender</source>
        <translation>Sign as sender</translation>
    </message>
    <message>
        <source>The recipient can check who made this file (recover --verify, or a trusted sender in their Key Manager)</source>
        <translation>The recipient can check who made this file (recover --verify, or a trusted sender in their Key Manager)</translation>
    </message>
    <message>
        <source>Choose your signing key in Keys ▸ Key Manager (Use as My Signing Key)</source>
        <translation>Choose your signing key in Keys ▸ Key Manager (Use as My Signing Key)</translation>
    </message>
</context>
<context>
    <name>medveil::ui::SweepChart</name>
    <message>
        <source>PSNR and SSIM of the protected image against the original for each threshold T</source>
        <translation>PSNR and SSIM of the protected image against the original for each threshold T</translation>
    </message>
    <message>
        <source>threshold T</source>
        <translation>threshold T</translation>
    </message>
    <message>
        <source>computing…</source>
        <translation>computing…</translation>
    </message>
    <message>
        <source>no data</source>
        <translation>no data</translation>
    </message>
    <message>
        <source>dB</source>
        <translation>dB</translation>
    </message>
    <message>
        <source>● PSNR</source>
        <translation>● PSNR</translation>
    </message>
    <message>
        <source>● SSIM</source>
        <translation>● SSIM</translation>
    </message>
</context>
<context>
    <name>medveil::ui::TeachingDialog</name>
    <message>
        <source>pixel (x, y) → right neighbour (x + 1, y)</source>
        <translation>pixel (x, y) → right neighbour (x + 1, y)</translation>
    </message>
    <message>
        <source>Pipeline Walkthrough</source>
        <translation>Pipeline Walkthrough</translation>
    </message>
    <message>
        <source>Texture threshold T:</source>
        <translation>Texture threshold T:</translation>
    </message>
    <message>
        <source>Blocks with MSE &gt; T carry the hidden key region</source>
        <translation>Blocks with MSE &gt; T carry the hidden key region</translation>
    </message>
    <message>
        <source>&amp;Recompute</source>
        <translation>&amp;Recompute</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>1. Key region and texture blocks</source>
        <translation>1. Key region and texture blocks</translation>
    </message>
    <message>
        <source>2. Prediction-error expansion</source>
        <translation>2. Prediction-error expansion</translation>
    </message>
    <message>
        <source>3. Arnold scrambling</source>
        <translation>3. Arnold scrambling</translation>
    </message>
    <message>
        <source>4. QR code</source>
        <translation>4. QR code</translation>
    </message>
    <message>
        <source>5. Unauthorised extraction</source>
        <translation>5. Unauthorised extraction</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <source>Open an image first.</source>
        <translation>Open an image first.</translation>
    </message>
    <message>
        <source>Computing every stage…</source>
        <translation>Computing every stage…</translation>
    </message>
    <message>
        <source>Press Recompute to compute the stages on this image.</source>
        <translation>Press Recompute to compute the stages on this image.</translation>
    </message>
    <message>
        <source>Key region (solid), next candidates (dashed), texture blocks (green)</source>
        <translation>Key region (solid), next candidates (dashed), texture blocks (green)</translation>
    </message>
    <message>
        <source>The key region is the block of largest coefficient of variation σ/μ. %1 of %2 8×8 blocks have MSE &gt; T = %3 and will carry its %4 encrypted bits.</source>
        <translation>The key region is the block of largest coefficient of variation σ/μ. %1 of %2 8×8 blocks have MSE &gt; T = %3 and will carry its %4 encrypted bits.</translation>
    </message>
    <message>
        <source>Rhombus prediction errors e = x − ⌊(N+S+E+W)/4⌋ (first layer)</source>
        <translation>Rhombus prediction errors e = x − ⌊(N+S+E+W)/4⌋ (first layer)</translation>
    </message>
    <message>
        <source>before embedding</source>
        <translation>before embedding</translation>
    </message>
    <message>
        <source>after expansion</source>
        <translation>after expansion</translation>
    </message>
    <message>
        <source>Errors in the expansion range become 2e + b (one payload bit each); the others shift outwards so that extraction can tell them apart and undo both exactly.</source>
        <translation>Errors in the expansion range become 2e + b (one payload bit each); the others shift outwards so that extraction can tell them apart and undo both exactly.</translation>
    </message>
    <message>
        <source>iteration %1 of %2</source>
        <translation>iteration %1 of %2</translation>
    </message>
    <message>
        <source>Texture blocks after %1 cat-map iteration(s)</source>
        <translation>Texture blocks after %1 cat-map iteration(s)</translation>
    </message>
    <message>
        <source>64×64 detail at (%1, %2)</source>
        <translation>64×64 detail at (%1, %2)</translation>
    </message>
    <message>
        <source>Each texture block gets its own cat map (x, y) → (x + a·y, b·x + (a·b+1)·y) mod 8 and iteration count from the key; move the slider to apply the iterations one by one.</source>
        <translation>Each texture block gets its own cat map (x, y) → (x + a·y, b·x + (a·b+1)·y) mod 8 and iteration count from the key; move the slider to apply the iterations one by one.</translation>
    </message>
    <message>
        <source>QR code: public information + RSA-OAEP-sealed key</source>
        <translation>QR code: public information + RSA-OAEP-sealed key</translation>
    </message>
    <message>
        <source>Protected image</source>
        <translation>Protected image</translation>
    </message>
    <message>
        <source>The QR replaces the key region: anyone can read the public fields, only the private key opens the sealed key that decrypts the hidden region.</source>
        <translation>The QR replaces the key region: anyone can read the public fields, only the private key opens the sealed key that decrypts the hidden region.</translation>
    </message>
    <message>
        <source>Key region (authorised extraction: identical)</source>
        <translation>Key region (authorised extraction: identical)</translation>
    </message>
    <message>
        <source>Unauthorised extraction: PSNR %1 dB, SSIM %2</source>
        <translation>Unauthorised extraction: PSNR %1 dB, SSIM %2</translation>
    </message>
    <message>
        <source>Without the private key the embedded payload decrypts to noise (and MedVeil refuses it: the AES-GCM tag fails). The paper reports PSNR &lt; 10 dB and SSIM &lt; 0.1 for this view.</source>
        <translation>Without the private key the embedded payload decrypts to noise (and MedVeil refuses it: the AES-GCM tag fails). The paper reports PSNR &lt; 10 dB and SSIM &lt; 0.1 for this view.</translation>
    </message>
    <message>
        <source>EMR encoded image (base %1)</source>
        <translation>EMR encoded image (base %1)</translation>
    </message>
    <message>
        <source>Top-left 24×16 pixels and their digits</source>
        <translation>Top-left 24×16 pixels and their digits</translation>
    </message>
    <message>
        <source>The record's %1 UTF-8 bytes (after a header with length and CRC-32) are written as base-%2 digits, one per pixel, at widely spaced grey levels; the rest is key-seeded padding.</source>
        <translation>The record's %1 UTF-8 bytes (after a header with length and CRC-32) are written as base-%2 digits, one per pixel, at widely spaced grey levels; the rest is key-seeded padding.</translation>
    </message>
    <message>
        <source>bit plane %1</source>
        <translation>bit plane %1</translation>
    </message>
    <message>
        <source>Stego image, bit %1</source>
        <translation>Stego image, bit %1</translation>
    </message>
    <message>
        <source>Encoded image, bit %1</source>
        <translation>Encoded image, bit %1</translation>
    </message>
    <message>
        <source>Cipher image, bit %1</source>
        <translation>Cipher image, bit %1</translation>
    </message>
    <message>
        <source>The logistic-sine-cosine cipher permutes all bits of the image and diffuses them forwards and backwards: every cipher bit plane is balanced noise.</source>
        <translation>The logistic-sine-cosine cipher permutes all bits of the image and diffuses them forwards and backwards: every cipher bit plane is balanced noise.</translation>
    </message>
    <message>
        <source>Stego image</source>
        <translation>Stego image</translation>
    </message>
    <message>
        <source>Encoded image</source>
        <translation>Encoded image</translation>
    </message>
    <message>
        <source>plain</source>
        <translation>plain</translation>
    </message>
    <message>
        <source>Cipher image</source>
        <translation>Cipher image</translation>
    </message>
    <message>
        <source>cipher</source>
        <translation>cipher</translation>
    </message>
    <message>
        <source>The cipher's histogram is flat: grey-level statistics reveal nothing about the plain image.</source>
        <translation>The cipher's histogram is flat: grey-level statistics reveal nothing about the plain image.</translation>
    </message>
    <message>
        <source>6. Keyless attack: Arnold vs permutation</source>
        <translation>6. Keyless attack: Arnold vs permutation</translation>
    </message>
    <message>
        <source>7. EMR encoded image</source>
        <translation>7. EMR encoded image</translation>
    </message>
    <message>
        <source>8. Bit planes</source>
        <translation>8. Bit planes</translation>
    </message>
    <message>
        <source>9. Histograms</source>
        <translation>9. Histograms</translation>
    </message>
    <message>
        <source>10. Adjacent-pixel correlation</source>
        <translation>10. Adjacent-pixel correlation</translation>
    </message>
    <message>
        <source>Arnold: the attack recovers %1 dB (block means %2 dB)</source>
        <translation>Arnold: the attack recovers %1 dB (block means %2 dB)</translation>
    </message>
    <message>
        <source>Keyed permutation: %1 dB (block means %2 dB)</source>
        <translation>Keyed permutation: %1 dB (block means %2 dB)</translation>
    </message>
    <message>
        <source>No key at all: each 8×8 block has only about 129 distinct cat maps, so trying every one and keeping the smoothest result undoes Arnold (left). A keyed permutation of the 64 pixels has 64! orderings: the same attack gets no further than each block's mean (right). MedVeil protects the region itself with AES-256-GCM either way.</source>
        <translation>No key at all: each 8×8 block has only about 129 distinct cat maps, so trying every one and keeping the smoothest result undoes Arnold (left). A keyed permutation of the 64 pixels has 64! orderings: the same attack gets no further than each block's mean (right). MedVeil protects the region itself with AES-256-GCM either way.</translation>
    </message>
    <message>
        <source>%1
r = %2 (h), %3 (v), %4 (d)</source>
        <translation>%1
r = %2 (h), %3 (v), %4 (d)</translation>
    </message>
    <message>
        <source>medical image</source>
        <translation>medical image</translation>
    </message>
    <message>
        <source>stego (encrypted)</source>
        <translation>stego (encrypted)</translation>
    </message>
    <message>
        <source>encoded (encrypted)</source>
        <translation>encoded (encrypted)</translation>
    </message>
    <message>
        <source>Neighbouring pixels of the medical image are strongly correlated (r = %1). What the cipher encrypts is the stego: the record's digits, whose key-seeded padding is already nearly uncorrelated (r = %2), with the image hidden in their small deviations. After encryption the pairs fill the square: r = %3.</source>
        <translation>Neighbouring pixels of the medical image are strongly correlated (r = %1). What the cipher encrypts is the stego: the record's digits, whose key-seeded padding is already nearly uncorrelated (r = %2), with the image hidden in their small deviations. After encryption the pairs fill the square: r = %3.</translation>
    </message>
</context>
</TS>
