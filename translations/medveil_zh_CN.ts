<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>Document</name>
    <message>
        <source>an image</source>
        <translation>一幅图像</translation>
    </message>
    <message>
        <source>a key-region protected image</source>
        <translation>一幅关键区域已保护的图像</translation>
    </message>
    <message>
        <source>a sealed EMR image</source>
        <translation>一幅封装了病历的图像</translation>
    </message>
    <message>
        <source>a teaching cipher image (medveil-cli encrypt)</source>
        <translation>一幅教学用密文图像（medveil-cli encrypt）</translation>
    </message>
    <message>
        <source>a MedVeil file of a format this version does not know</source>
        <translation>一个本版本不认识其格式的 MedVeil 文件</translation>
    </message>
    <message>
        <source>This file is already protected: it is a sealed EMR image. Open it in the EMR tab with your private key first.</source>
        <translation>此文件已受保护：它是封装了病历的图像。请先在“病历”标签页中用您的私钥打开它。</translation>
    </message>
    <message>
        <source>This file is already protected (key region and QR code). Recover the original in the Recover tab first.</source>
        <translation>此文件已受保护（关键区域和二维码）。请先在“恢复”标签页中恢复原图。</translation>
    </message>
    <message>
        <source>This file is %1: it is not protected again.</source>
        <translation>此文件是%1：不会再次保护。</translation>
    </message>
    <message>
        <source>This image is not protected: there is nothing to recover. Open a file made by Protect.</source>
        <translation>此图像未受保护：没有可恢复的内容。请打开由“保护”生成的文件。</translation>
    </message>
    <message>
        <source>This file is a sealed EMR image: open it in the EMR tab.</source>
        <translation>此文件是封装了病历的图像：请在“病历”标签页中打开。</translation>
    </message>
    <message>
        <source>This file is %1: the Recover tab cannot open it.</source>
        <translation>此文件是%1：“恢复”标签页无法打开它。</translation>
    </message>
</context>
<context>
    <name>EngineMessage</name>
    <message>
        <source>choose the private key first</source>
        <translation>请先选择私钥</translation>
    </message>
    <message>
        <source>choose the recipient's public key first</source>
        <translation>请先选择接收方的公钥</translation>
    </message>
    <message>
        <source>cannot read the private key: %1</source>
        <translation>无法读取私钥：%1</translation>
    </message>
    <message>
        <source>cannot read the recipient's public key: %1</source>
        <translation>无法读取接收方的公钥：%1</translation>
    </message>
    <message>
        <source>the private key '%1' is readable by other users; restrict it first (chmod 600)</source>
        <translation>私钥“%1”可被其他用户读取；请先限制其权限（chmod 600）</translation>
    </message>
    <message>
        <source>'%1' holds a public key; the private key is needed</source>
        <translation>“%1”是公钥；此处需要私钥</translation>
    </message>
    <message>
        <source>the private key is encrypted: a passphrase is needed</source>
        <translation>私钥已加密：需要口令</translation>
    </message>
    <message>
        <source>wrong passphrase for the private key</source>
        <translation>私钥口令错误</translation>
    </message>
    <message>
        <source>the private key file cannot be parsed</source>
        <translation>无法解析私钥文件</translation>
    </message>
    <message>
        <source>not a PEM key file</source>
        <translation>不是 PEM 密钥文件</translation>
    </message>
    <message>
        <source>not an RSA public key in PEM (SubjectPublicKeyInfo) format</source>
        <translation>不是 PEM（SubjectPublicKeyInfo）格式的 RSA 公钥</translation>
    </message>
    <message>
        <source>the key is not an RSA key</source>
        <translation>该密钥不是 RSA 密钥</translation>
    </message>
    <message>
        <source>RSA keys below 2048 bits are refused (this one has %1)</source>
        <translation>不接受短于 2048 位的 RSA 密钥（此密钥为 %1 位）</translation>
    </message>
    <message>
        <source>this file was not protected for this private key</source>
        <translation>此文件不是为该私钥保护的</translation>
    </message>
    <message>
        <source>wrong private key: the sealed key cannot be decrypted</source>
        <translation>私钥错误：无法解密封装的密钥</translation>
    </message>
    <message>
        <source>'%1' exists; MedVeil never writes over a key file</source>
        <translation>“%1”已存在；MedVeil 从不覆盖密钥文件</translation>
    </message>
    <message>
        <source>the signature does not verify: the file was modified or signed by another key</source>
        <translation>签名验证失败：文件已被修改，或由其他密钥签名</translation>
    </message>
    <message>
        <source>the file's signature was removed or damaged</source>
        <translation>文件的签名已被删除或损坏</translation>
    </message>
    <message>
        <source>the file's signature is damaged</source>
        <translation>文件的签名已损坏</translation>
    </message>
    <message>
        <source>the file is not signed by a trusted sender</source>
        <translation>文件未经受信任的发送方签名</translation>
    </message>
    <message>
        <source>the file is signed by a key that is not a trusted sender (%1)</source>
        <translation>文件由不在受信任发送方列表中的密钥签名（%1）</translation>
    </message>
    <message>
        <source>trusted-sender list, line %1: %2</source>
        <translation>受信任发送方列表第 %1 行：%2</translation>
    </message>
    <message>
        <source>cannot read '%1': not a regular file</source>
        <translation>无法读取“%1”：不是普通文件</translation>
    </message>
    <message>
        <source>cannot open '%1'</source>
        <translation>无法打开“%1”</translation>
    </message>
    <message>
        <source>'%1' is empty</source>
        <translation>“%1”为空</translation>
    </message>
    <message>
        <source>'%1' is not a supported image (PNG, TIFF, BMP, JPEG or DICOM expected)</source>
        <translation>“%1”不是支持的图像（应为 PNG、TIFF、BMP、JPEG 或 DICOM）</translation>
    </message>
    <message>
        <source>'%1' is damaged or truncated and cannot be decoded</source>
        <translation>“%1”已损坏或被截断，无法解码</translation>
    </message>
    <message>
        <source>'%1' is a colour image; MedVeil works on grey medical images</source>
        <translation>“%1”是彩色图像；MedVeil 只处理灰度医学图像</translation>
    </message>
    <message>
        <source>'%1' has transparency, which is not supported</source>
        <translation>“%1”含有透明通道，不受支持</translation>
    </message>
    <message>
        <source>'%1' has an unsupported sample type (only unsigned 8- or 16-bit)</source>
        <translation>“%1”的采样类型不受支持（仅支持无符号 8 位或 16 位）</translation>
    </message>
    <message>
        <source>'%1' declares %2×%3 pixels, more than the limit of %4</source>
        <translation>“%1”声明了 %2×%3 像素，超过上限 %4</translation>
    </message>
    <message>
        <source>refusing to write over the input file '%1'</source>
        <translation>拒绝覆盖输入文件“%1”</translation>
    </message>
    <message>
        <source>a .dcm output needs a DICOM input; write a .png instead</source>
        <translation>输出 .dcm 需要 DICOM 输入；请改存为 .png</translation>
    </message>
    <message>
        <source>%1: multi-frame images (%2 frames) are not supported</source>
        <translation>%1：不支持多帧图像（%2 帧）</translation>
    </message>
    <message>
        <source>%1: colour DICOM images are not supported</source>
        <translation>%1：不支持彩色 DICOM 图像</translation>
    </message>
    <message>
        <source>%1: the DICOM file has no pixel data</source>
        <translation>%1：该 DICOM 文件没有像素数据</translation>
    </message>
    <message>
        <source>%1: lossy-compressed pixel data (%2) cannot be protected bit-exactly; export it uncompressed or losslessly compressed</source>
        <translation>%1：有损压缩的像素数据（%2）无法逐位无损地保护；请导出为未压缩或无损压缩格式</translation>
    </message>
    <message>
        <source>the image (%1×%2) is too small to carry a QR code and its hidden key region</source>
        <translation>图像（%1×%2）太小，放不下二维码及其隐藏的关键区域</translation>
    </message>
    <message>
        <source>the region %1 is not inside the %2×%3 image</source>
        <translation>区域 %1 不在 %2×%3 的图像内</translation>
    </message>
    <message>
        <source>the regions %1 and %2 overlap</source>
        <translation>区域 %1 与 %2 重叠</translation>
    </message>
    <message>
        <source>the image is completely black: there is no key region to protect</source>
        <translation>图像全黑：没有可保护的关键区域</translation>
    </message>
    <message>
        <source>the key region (%1 px) is smaller than the %2 px the QR code needs</source>
        <translation>关键区域（%1 像素）小于二维码所需的 %2 像素</translation>
    </message>
    <message>
        <source>the public information is too long for a QR code</source>
        <translation>公开信息过长，二维码容纳不下</translation>
    </message>
    <message>
        <source>the key region does not fit: %1 bits needed, at most %2 bits available (threshold %3, %4 passes); use a smaller region or a lower threshold</source>
        <translation>关键区域无法嵌入：需要 %1 位，最多只有 %2 位可用（阈值 %3，%4 轮）；请缩小区域或降低阈值</translation>
    </message>
    <message>
        <source>the key region does not fit: %1 bits needed, at most %2 bits available (threshold %3, %4 passes); use a smaller region</source>
        <translation>关键区域无法嵌入：需要 %1 位，最多只有 %2 位可用（阈值 %3，%4 轮）；请缩小区域</translation>
    </message>
    <message>
        <source>this image shows a MedVeil QR code but its protection data is gone: it was re-saved (for example as JPEG), converted or resized after protection</source>
        <translation>此图像带有 MedVeil 二维码，但其保护数据已丢失：保护后曾被重新保存（例如存为 JPEG）、转换格式或缩放</translation>
    </message>
    <message>
        <source>the image was resized after protection (protected at %1×%2, now %3×%4)</source>
        <translation>图像在保护后被缩放（保护时为 %1×%2，现在为 %3×%4）</translation>
    </message>
    <message>
        <source>the image was modified after protection (pixels, QR code or protection data changed)</source>
        <translation>图像在保护后被修改（像素、二维码或保护数据有变动）</translation>
    </message>
    <message>
        <source>the image was modified after protection (pixels changed)</source>
        <translation>图像在保护后被修改（像素有变动）</translation>
    </message>
    <message>
        <source>the hidden data is incomplete: the image was modified</source>
        <translation>隐藏数据不完整：图像已被修改</translation>
    </message>
    <message>
        <source>the QR code was modified after protection</source>
        <translation>二维码在保护后被修改</translation>
    </message>
    <message>
        <source>the QR code cannot be decoded: it was modified after protection</source>
        <translation>二维码无法解码：保护后已被修改</translation>
    </message>
    <message>
        <source>no QR code found</source>
        <translation>未找到二维码</translation>
    </message>
    <message>
        <source>the QR code is not a MedVeil protection code</source>
        <translation>该二维码不是 MedVeil 保护码</translation>
    </message>
    <message>
        <source>the restored image does not match the original's sealed SHA-256</source>
        <translation>恢复出的图像与封存的原图 SHA-256 不符</translation>
    </message>
    <message>
        <source>the DICOM header was modified after protection</source>
        <translation>DICOM 文件头在保护后被修改</translation>
    </message>
    <message>
        <source>this protection was made in a DICOM file; recover the DICOM file</source>
        <translation>此保护是在 DICOM 文件中完成的；请恢复该 DICOM 文件</translation>
    </message>
    <message>
        <source>authentication failed: wrong key or the data was modified</source>
        <translation>认证失败：密钥错误或数据已被修改</translation>
    </message>
    <message>
        <source>the EMR has %1 bytes but a %2×%3 encoded image holds at most %4 bytes at base %5</source>
        <translation>病历有 %1 字节，但 %2×%3 的编码图像在 %5 进制下最多只能容纳 %4 字节</translation>
    </message>
    <message>
        <source>the EMR is not valid UTF-8 (first bad byte at offset %1)</source>
        <translation>病历不是有效的 UTF-8（第一个错误字节位于偏移 %1）</translation>
    </message>
    <message>
        <source>the image is too small to hold an EMR</source>
        <translation>图像太小，放不下病历</translation>
    </message>
    <message>
        <source>the DICOM header was modified after sealing</source>
        <translation>DICOM 文件头在封装后被修改</translation>
    </message>
    <message>
        <source>this seal was made in a DICOM file; open the DICOM file</source>
        <translation>此封装是在 DICOM 文件中完成的；请打开该 DICOM 文件</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>the sealed image's lossless residual was removed</source>
        <translation>封装图像的无损残差已被删除</translation>
    </message>
    <message>
        <source>the sealed image's lossless residual was modified</source>
        <translation>封装图像的无损残差已被修改</translation>
    </message>
    <message>
        <source>the sealed image's identity part was removed</source>
        <translation>封装图像的身份信息部分已被删除</translation>
    </message>
    <message>
        <source>the sealed image's identity part was modified</source>
        <translation>封装图像的身份信息部分已被修改</translation>
    </message>
    <message>
        <source>the decrypted image does not match its sealed hash</source>
        <translation>解密出的图像与封存的哈希值不符</translation>
    </message>
</context>
<context>
    <name>ErrorText</name>
    <message>
        <source>Invalid request</source>
        <translation>请求无效</translation>
    </message>
    <message>
        <source>Unreadable or unsuitable input</source>
        <translation>输入无法读取或不适用</translation>
    </message>
    <message>
        <source>Wrong key or passphrase, or the data were modified</source>
        <translation>密钥或口令错误，或数据已被修改</translation>
    </message>
    <message>
        <source>Does not fit</source>
        <translation>容量不足</translation>
    </message>
    <message>
        <source>Internal error</source>
        <translation>内部错误</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
</context>
<context>
    <name>PassphrasePrompt</name>
    <message>
        <source>Passphrase</source>
        <translation>口令</translation>
    </message>
    <message>
        <source>The private key is protected by a passphrase:</source>
        <translation>私钥受口令保护：</translation>
    </message>
</context>
<context>
    <name>QrField</name>
    <message>
        <source>Hospital</source>
        <translation>医院</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>科室</translation>
    </message>
    <message>
        <source>Doctor</source>
        <translation>医生</translation>
    </message>
    <message>
        <source>Patient number</source>
        <translation>患者编号</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>联系方式</translation>
    </message>
    <message>
        <source>Image type</source>
        <translation>图像类型</translation>
    </message>
</context>
<context>
    <name>SaveDialogs</name>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <source>DICOM file, header kept (*.dcm)</source>
        <translation>DICOM 文件，保留文件头 (*.dcm)</translation>
    </message>
    <message>
        <source>DICOM de-identified Secondary Capture, identity sealed inside (*.dcm)</source>
        <translation>DICOM 去标识化二次采集图像，身份信息加密封装于内 (*.dcm)</translation>
    </message>
    <message>
        <source>DICOM file, original header restored (*.dcm)</source>
        <translation>DICOM 文件，恢复原始文件头 (*.dcm)</translation>
    </message>
</context>
<context>
    <name>TrustedSenders</name>
    <message>
        <source>Not signed: nothing says who sent this file.</source>
        <translation>未签名：无法确认此文件由谁发送。</translation>
    </message>
    <message>
        <source>Signed by %1, a trusted sender (key SHA-256 %2).</source>
        <translation>由受信任的发送方 %1 签名（密钥 SHA-256 %2）。</translation>
    </message>
    <message>
        <source>Signed by an unknown key (SHA-256 %1): not one of your trusted senders (Keys → Key Manager).</source>
        <translation>由未知密钥签名（SHA-256 %1）：不在您的受信任发送方中（密钥 → 密钥管理器）。</translation>
    </message>
</context>
<context>
    <name>medveil::ui::EmrPanel</name>
    <message>
        <source>Electronic medical record (UTF-8)</source>
        <translation>电子病历（UTF-8）</translation>
    </message>
    <message>
        <source>Type or paste the record, or load a text file</source>
        <translation>输入或粘贴病历，或载入文本文件</translation>
    </message>
    <message>
        <source>&amp;Load EMR…</source>
        <translation>载入病历(&amp;L)…</translation>
    </message>
    <message>
        <source>Load EMR</source>
        <translation>载入病历</translation>
    </message>
    <message>
        <source>Text (*.txt);;All files (*)</source>
        <translation>文本 (*.txt);;所有文件 (*)</translation>
    </message>
    <message>
        <source>%1 bytes</source>
        <translation>%1 字节</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>密钥</translation>
    </message>
    <message>
        <source>recipient public key (to seal)</source>
        <translation>接收方公钥（用于封装）</translation>
    </message>
    <message>
        <source>your private key (to open)</source>
        <translation>您的私钥（用于打开）</translation>
    </message>
    <message>
        <source>Seal for</source>
        <translation>封装给</translation>
    </message>
    <message>
        <source>Open with</source>
        <translation>打开使用</translation>
    </message>
    <message>
        <source>&amp;Seal EMR into Image and Save…</source>
        <translation>将病历封装进图像并保存(&amp;S)…</translation>
    </message>
    <message>
        <source>Encoded image → HiNet hides the medical image → chaotic bit-level encryption</source>
        <translation>编码图像 → HiNet 隐藏医学图像 → 混沌比特级加密</translation>
    </message>
    <message>
        <source>Save Sealed Image</source>
        <translation>保存封装图像</translation>
    </message>
    <message>
        <source>&amp;Open Sealed Image</source>
        <translation>打开封装图像(&amp;O)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Stages</source>
        <translation>处理阶段</translation>
    </message>
    <message>
        <source>Medical / revealed</source>
        <translation>医学图像 / 恢复图像</translation>
    </message>
    <message>
        <source>Encoded EMR</source>
        <translation>病历编码图像</translation>
    </message>
    <message>
        <source>Stego</source>
        <translation>载密图像</translation>
    </message>
    <message>
        <source>Difference ×10</source>
        <translation>差值 ×10</translation>
    </message>
    <message>
        <source>Cipher</source>
        <translation>密文图像</translation>
    </message>
    <message>
        <source>A sealed EMR image: open it with your private key</source>
        <translation>这是封装了病历的图像：请用您的私钥打开</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Sealing…</source>
        <translation>正在封装…</translation>
    </message>
    <message>
        <source>Sealed %1 EMR bytes · stego PSNR %2 dB · SSIM %3</source>
        <translation>已封装 %1 字节病历 · 载密图像 PSNR %2 dB · SSIM %3</translation>
    </message>
    <message>
        <source>Opening…</source>
        <translation>正在打开…</translation>
    </message>
    <message>
        <source>Opened: %1 EMR bytes restored exactly; the revealed image is shown</source>
        <translation>已打开：%1 字节病历完整恢复；显示的是恢复出的图像</translation>
    </message>
    <message>
        <source>exact recovery (lossless residual %1 KB)</source>
        <translation>精确恢复（无损残差 %1 KB）</translation>
    </message>
    <message>
        <source>image bit-exact, SHA-256 verified</source>
        <translation>图像逐位一致，已通过 SHA-256 校验</translation>
    </message>
    <message>
        <source>image: network only, not for diagnosis (the file carries no lossless residual)</source>
        <translation>图像：仅网络恢复，不可用于诊断（文件不含无损残差）</translation>
    </message>
    <message>
        <source>DICOM identity (moved out of the header)</source>
        <translation>DICOM 身份信息（已从文件头移出）</translation>
    </message>
    <message>
        <source>Not opened: %1</source>
        <translation>未能打开：%1</translation>
    </message>
    <message>
        <source>Exact (bit-exact image)</source>
        <translation>精确（图像逐位一致）</translation>
    </message>
    <message>
        <source>Network only (lossy)</source>
        <translation>仅网络（有损）</translation>
    </message>
    <message>
        <source>Exact: the receiver gets the original image bit for bit (a lossless residual rides along). Network only: the paper's scheme, a smaller file whose image is lossy and not for diagnosis.</source>
        <translation>精确：接收方逐位得到原始图像（附带无损残差）。仅网络：论文方案，文件更小，但图像有损，不可用于诊断。</translation>
    </message>
    <message>
        <source>Recovery</source>
        <translation>恢复方式</translation>
    </message>
    <message>
        <source>Save &amp;Record and Image…</source>
        <translation>保存病历和图像(&amp;R)…</translation>
    </message>
    <message>
        <source>The record as UTF-8 text beside the image (DICOM with its header for a sealed DICOM), both owner-only</source>
        <translation>病历以 UTF-8 文本保存在图像旁（封装的 DICOM 则连同其头信息保存为 DICOM），两者仅所有者可读</translation>
    </message>
    <message>
        <source>Save Opened Image</source>
        <translation>保存打开的图像</translation>
    </message>
    <message>
        <source>network-only recovery: the receiver gets a lossy image (PSNR %1 dB), not for diagnosis</source>
        <translation>仅网络恢复：接收方得到有损图像（PSNR %1 dB），不可用于诊断</translation>
    </message>
    <message>
        <source>image: network only (lossy), not for diagnosis</source>
        <translation>图像：仅网络恢复（有损），不可用于诊断</translation>
    </message>
    <message>
        <source>Saved the record to %1 and the image to %2</source>
        <translation>病历已保存到 %1，图像已保存到 %2</translation>
    </message>
    <message>
        <source>the image is a network-only reveal: lossy, not for diagnosis</source>
        <translation>该图像仅由网络恢复：有损，不可用于诊断</translation>
    </message>
    <message>
        <source>Revealed by the network only: lossy, not for diagnosis</source>
        <translation>仅由网络恢复：有损，不可用于诊断</translation>
    </message>
    <message>
        <source>embedding weakened by %1 dB (stego floor %2 dB)</source>
        <translation>嵌入强度降低 %1 dB（载密图像下限 %2 dB）</translation>
    </message>
</context>
<context>
    <name>medveil::ui::HistogramView</name>
    <message>
        <source>Grey-level histogram of the stage shown on the canvas</source>
        <translation>画布上所示阶段的灰度直方图</translation>
    </message>
    <message>
        <source>%1 — entropy %2 bits</source>
        <translation>%1 — 信息熵 %2 比特</translation>
    </message>
</context>
<context>
    <name>medveil::ui::ImageCanvas</name>
    <message>
        <source>Wheel: zoom · drag: pan · double-click: fit to window</source>
        <translation>滚轮：缩放 · 拖动：平移 · 双击：适应窗口</translation>
    </message>
    <message>
        <source>Open or drop a grey medical image (PNG, TIFF, BMP, JPEG)</source>
        <translation>打开或拖入一幅灰度医学图像（PNG、TIFF、BMP、JPEG）</translation>
    </message>
</context>
<context>
    <name>medveil::ui::KeyManagerDialog</name>
    <message>
        <source>%1 already exists; MedVeil never replaces a key file.</source>
        <translation>%1 已存在；MedVeil 从不覆盖密钥文件。</translation>
    </message>
    <message>
        <source>Key Manager</source>
        <translation>密钥管理器</translation>
    </message>
    <message>
        <source>Generate a key pair</source>
        <translation>生成密钥对</translation>
    </message>
    <message>
        <source>RSA %1 bits</source>
        <translation>RSA %1 位</translation>
    </message>
    <message>
        <source>RSA-OAEP key size; 3072 bits matches 128-bit security</source>
        <translation>RSA-OAEP 密钥长度；3072 位相当于 128 位安全强度</translation>
    </message>
    <message>
        <source>Key size:</source>
        <translation>密钥长度：</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Folder for the key files</source>
        <translation>密钥文件所在文件夹</translation>
    </message>
    <message>
        <source>Folder:</source>
        <translation>文件夹：</translation>
    </message>
    <message>
        <source>Files NAME.private.pem and NAME.public.pem are written</source>
        <translation>将写入 NAME.private.pem 和 NAME.public.pem 两个文件</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <source>Protects the private key file (AES-256, PBKDF2); at least %1 characters</source>
        <translation>保护私钥文件（AES-256，PBKDF2）；至少 %1 个字符</translation>
    </message>
    <message>
        <source>Passphrase:</source>
        <translation>口令：</translation>
    </message>
    <message>
        <source>Repeat passphrase:</source>
        <translation>再次输入口令：</translation>
    </message>
    <message>
        <source>&amp;Generate</source>
        <translation>生成(&amp;G)</translation>
    </message>
    <message>
        <source>Key file</source>
        <translation>密钥文件</translation>
    </message>
    <message>
        <source>a .pem file</source>
        <translation>一个 .pem 文件</translation>
    </message>
    <message>
        <source>Open…</source>
        <translation>打开…</translation>
    </message>
    <message>
        <source>Open a key file</source>
        <translation>打开密钥文件</translation>
    </message>
    <message>
        <source>PEM keys (*.pem);;All files (*)</source>
        <translation>PEM 密钥 (*.pem);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Use as &amp;Recipient Key</source>
        <translation>用作接收方密钥(&amp;R)</translation>
    </message>
    <message>
        <source>Protect and EMR Seal encrypt for this key</source>
        <translation>“保护”和“病历封装”将为此密钥加密</translation>
    </message>
    <message>
        <source>Use as My &amp;Private Key</source>
        <translation>用作我的私钥(&amp;P)</translation>
    </message>
    <message>
        <source>Recover and EMR Open decrypt with this key</source>
        <translation>“恢复”和“打开病历”将用此密钥解密</translation>
    </message>
    <message>
        <source>&amp;Export Public Key…</source>
        <translation>导出公钥(&amp;E)…</translation>
    </message>
    <message>
        <source>Change &amp;Passphrase…</source>
        <translation>更改口令(&amp;P)…</translation>
    </message>
    <message>
        <source>The two passphrases differ.</source>
        <translation>两次输入的口令不一致。</translation>
    </message>
    <message>
        <source>Choose a passphrase of at least %1 characters: it is all that protects the private key file.</source>
        <translation>请设置至少 %1 个字符的口令：私钥文件全靠它来保护。</translation>
    </message>
    <message>
        <source>Give the key files a name (no slashes).</source>
        <translation>请为密钥文件命名（不能含斜杠）。</translation>
    </message>
    <message>
        <source>Generating an RSA-%1 key pair…</source>
        <translation>正在生成 RSA-%1 密钥对…</translation>
    </message>
    <message>
        <source>Wrote %1 (private, passphrase-protected, readable only by you) and %2 (public: give it to whoever sends you protected images).
Fingerprint: %3</source>
        <translation>已写入 %1（私钥，受口令保护，仅您可读）和 %2（公钥：交给向您发送受保护图像的人）。
指纹：%3</translation>
    </message>
    <message>
        <source>Cannot read %1.</source>
        <translation>无法读取 %1。</translation>
    </message>
    <message>
        <source>Private key, encrypted with a passphrase.</source>
        <translation>私钥，已用口令加密。</translation>
    </message>
    <message>
        <source>Not an RSA key MedVeil can use: %1</source>
        <translation>不是 MedVeil 可用的 RSA 密钥：%1</translation>
    </message>
    <message>
        <source>Private key, NOT protected by a passphrase</source>
        <translation>私钥，未受口令保护</translation>
    </message>
    <message>
        <source>Public key</source>
        <translation>公钥</translation>
    </message>
    <message>
        <source>%1, RSA %2 bits.
Fingerprint (SHA-256): %3</source>
        <translation>%1，RSA %2 位。
指纹（SHA-256）：%3</translation>
    </message>
    <message>
        <source>Repeat the new passphrase:</source>
        <translation>再次输入新口令：</translation>
    </message>
    <message>
        <source>The two passphrases differ; nothing was changed.</source>
        <translation>两次输入的口令不一致；未做任何更改。</translation>
    </message>
    <message>
        <source>Export Public Key</source>
        <translation>导出公钥</translation>
    </message>
    <message>
        <source>Passphrase of %1:</source>
        <translation>%1 的口令：</translation>
    </message>
    <message>
        <source>Save the public key</source>
        <translation>保存公钥</translation>
    </message>
    <message>
        <source>PEM keys (*.pem)</source>
        <translation>PEM 密钥 (*.pem)</translation>
    </message>
    <message>
        <source>Change Passphrase</source>
        <translation>更改口令</translation>
    </message>
    <message>
        <source>Current passphrase:</source>
        <translation>当前口令：</translation>
    </message>
    <message>
        <source>New passphrase:</source>
        <translation>新口令：</translation>
    </message>
    <message>
        <source>The folder %1 does not exist and cannot be created.</source>
        <translation>文件夹 %1 不存在且无法创建。</translation>
    </message>
    <message>
        <source>This is a private key: export its public key and choose that</source>
        <translation>这是私钥：请导出其公钥并选择公钥</translation>
    </message>
    <message>
        <source>&amp;Trust as Sender…</source>
        <translation>信任为发送方(&amp;T)…</translation>
    </message>
    <message>
        <source>Files signed with this key are shown as coming from a trusted sender</source>
        <translation>用此密钥签名的文件将显示为来自受信任的发送方</translation>
    </message>
    <message>
        <source>Trust as Sender</source>
        <translation>信任为发送方</translation>
    </message>
    <message>
        <source>Name of the sender (shown when a file is signed by this key):</source>
        <translation>发送方名称（文件由此密钥签名时显示）：</translation>
    </message>
    <message>
        <source>Trusted senders</source>
        <translation>受信任的发送方</translation>
    </message>
    <message>
        <source>&amp;Remove Sender</source>
        <translation>移除发送方(&amp;R)</translation>
    </message>
    <message>
        <source>%1 — SHA-256 %2</source>
        <translation>%1 — SHA-256 %2</translation>
    </message>
    <message>
        <source>Use as My &amp;Signing Key</source>
        <translation>用作我的签名密钥(&amp;S)</translation>
    </message>
    <message>
        <source>Protect, EMR Seal and the series dialog sign with this private key, so that recipients can check who made the file</source>
        <translation>“保护”“病历封装”和序列对话框用此私钥签名，接收方据此核实文件由谁制作</translation>
    </message>
    <message>
        <source>Signing key: none (files you make are not signed)</source>
        <translation>签名密钥：无（您制作的文件不签名）</translation>
    </message>
    <message>
        <source>Signing key: %1</source>
        <translation>签名密钥：%1</translation>
    </message>
    <message>
        <source>Remove Sender</source>
        <translation>移除发送方</translation>
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
        <translation>选择接收方的公钥</translation>
    </message>
    <message>
        <source>Choose your private key</source>
        <translation>选择您的私钥</translation>
    </message>
    <message>
        <source>Recipient public key</source>
        <translation>接收方公钥</translation>
    </message>
    <message>
        <source>Private key</source>
        <translation>私钥</translation>
    </message>
    <message>
        <source>PEM keys (*.pem *.pub);;All files (*)</source>
        <translation>PEM 密钥 (*.pem *.pub);;所有文件 (*)</translation>
    </message>
    <message>
        <source>PEM keys (*.pem);;All files (*)</source>
        <translation>PEM 密钥 (*.pem);;所有文件 (*)</translation>
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
        <translation>图像宽 × 高（像素）</translation>
    </message>
    <message>
        <source>Bits per pixel</source>
        <translation>每像素位数</translation>
    </message>
    <message>
        <source>L %1  W %2</source>
        <translation>窗位 %1  窗宽 %2</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>Protect</source>
        <translation>保护</translation>
    </message>
    <message>
        <source>Recover</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>EMR</source>
        <translation>病历</translation>
    </message>
    <message>
        <source>Hide the medical image in its record's encoded image and encrypt (Guo et al. 2025)</source>
        <translation>将医学图像隐藏在其病历的编码图像中并加密（Guo 等，2025）</translation>
    </message>
    <message>
        <source>Hide the key region and cover it with a QR code (Li et al. 2020)</source>
        <translation>隐藏关键区域并以二维码覆盖（Li 等，2020）</translation>
    </message>
    <message>
        <source>Restore a protected image with your private key</source>
        <translation>用您的私钥恢复受保护的图像</translation>
    </message>
    <message>
        <source>Workflow</source>
        <translation>工作流程</translation>
    </message>
    <message>
        <source>Protected image saved to %1</source>
        <translation>受保护图像已保存到 %1</translation>
    </message>
    <message>
        <source>Cannot protect</source>
        <translation>无法保护</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>打开(&amp;O)…</translation>
    </message>
    <message>
        <source>Open a grey medical image</source>
        <translation>打开一幅灰度医学图像</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>Save &amp;As…</source>
        <translation>另存为(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>首选项(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>Zoom &amp;In</source>
        <translation>放大(&amp;I)</translation>
    </message>
    <message>
        <source>Zoom &amp;Out</source>
        <translation>缩小(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Fit to Window</source>
        <translation>适应窗口(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Actual Size</source>
        <translation>实际大小(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Window/Level</source>
        <translation>窗宽/窗位(&amp;W)</translation>
    </message>
    <message>
        <source>&amp;Reset to Image Range</source>
        <translation>重置为图像范围(&amp;R)</translation>
    </message>
    <message>
        <source>Or drag with the right mouse button: left/right = width, up/down = level</source>
        <translation>或按住鼠标右键拖动：左右调窗宽，上下调窗位</translation>
    </message>
    <message>
        <source>&amp;Keys</source>
        <translation>密钥(&amp;K)</translation>
    </message>
    <message>
        <source>Key &amp;Manager…</source>
        <translation>密钥管理器(&amp;M)…</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About MedVeil</source>
        <translation>关于 MedVeil(&amp;A)</translation>
    </message>
    <message>
        <source>About MedVeil</source>
        <translation>关于 MedVeil</translation>
    </message>
    <message>
        <source>&lt;h3&gt;MedVeil %1&lt;/h3&gt;&lt;p&gt;Protects medical images and the records that travel with them.&lt;/p&gt;&lt;p&gt;Key-region protection: Li J., Zhang Z., Li S. et al., &lt;i&gt;A partial encryption algorithm for medical images based on quick response code and reversible data hiding technology&lt;/i&gt;, BMC Medical Informatics and Decision Making 20, 297 (2020).&lt;/p&gt;&lt;p&gt;EMR hidden encryption: Guo C., Li M., Li H., Wang H., Wang X., &lt;i&gt;Design of Encoding-Domain Hidden Encryption for Electronic Medical Records in Medical Images&lt;/i&gt;, Journal of Applied Sciences 43(5):828–848 (2025).&lt;/p&gt;</source>
        <translation>&lt;h3&gt;MedVeil %1&lt;/h3&gt;&lt;p&gt;保护医学图像及随图像传递的病历。&lt;/p&gt;&lt;p&gt;关键区域保护：Li J., Zhang Z., Li S. 等，&lt;i&gt;A partial encryption algorithm for medical images based on quick response code and reversible data hiding technology&lt;/i&gt;，BMC Medical Informatics and Decision Making 20, 297 (2020)。&lt;/p&gt;&lt;p&gt;病历隐藏加密：Guo C., Li M., Li H., Wang H., Wang X.，&lt;i&gt;Design of Encoding-Domain Hidden Encryption for Electronic Medical Records in Medical Images&lt;/i&gt;，Journal of Applied Sciences（应用科学学报）43(5):828–848 (2025)。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Recipient key: %1</source>
        <translation>接收方密钥：%1</translation>
    </message>
    <message>
        <source>Private key: %1</source>
        <translation>私钥：%1</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>&amp;Remember Recent Files</source>
        <translation>记住最近打开的文件(&amp;R)</translation>
    </message>
    <message>
        <source>File names can carry patient names; turn this off to keep no list</source>
        <translation>文件名可能含有患者姓名；关闭此项则不保留列表</translation>
    </message>
    <message>
        <source>&amp;Clear List</source>
        <translation>清空列表(&amp;C)</translation>
    </message>
    <message>
        <source>Open Image</source>
        <translation>打开图像</translation>
    </message>
    <message>
        <source>Save Image As</source>
        <translation>图像另存为</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <source>Opening %1…</source>
        <translation>正在打开 %1…</translation>
    </message>
    <message>
        <source>Cannot open image</source>
        <translation>无法打开图像</translation>
    </message>
    <message>
        <source>%1 × %2</source>
        <translation>%1 × %2</translation>
    </message>
    <message>
        <source>%1-bit</source>
        <translation>%1 位</translation>
    </message>
    <message>
        <source>%1 — MedVeil</source>
        <translation>%1 — MedVeil</translation>
    </message>
    <message>
        <source>Opened %1</source>
        <translation>已打开 %1</translation>
    </message>
    <message>
        <source>Cannot save image</source>
        <translation>无法保存图像</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <source>(%1, %2) = %3</source>
        <translation>(%1, %2) = %3</translation>
    </message>
    <message>
        <source>&amp;Teaching</source>
        <translation>教学(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Pipeline Walkthrough…</source>
        <translation>流程分步演示(&amp;P)…</translation>
    </message>
    <message>
        <source>Outpatient note. Chief complaint: headache for three days. MRI brain: no acute findings. Plan: review in two weeks.</source>
        <translation>门诊病历。主诉：头痛三天。头颅 MRI：未见急性病变。计划：两周后复诊。</translation>
    </message>
    <message>
        <source>Images (*.png *.tif *.tiff *.bmp *.jpg *.jpeg *.dcm);;DICOM (*.dcm);;All files (*)</source>
        <translation>图像 (*.png *.tif *.tiff *.bmp *.jpg *.jpeg *.dcm);;DICOM (*.dcm);;所有文件 (*)</translation>
    </message>
    <message>
        <source>&amp;Invert Grey Levels</source>
        <translation>反转灰度(&amp;I)</translation>
    </message>
    <message>
        <source>Display only: the pixels are untouched</source>
        <translation>仅改变显示：像素不变</translation>
    </message>
    <message>
        <source>&amp;Centre and Width…</source>
        <translation>窗位和窗宽(&amp;C)…</translation>
    </message>
    <message>
        <source>&amp;Keyboard Shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
        <source>Window Centre and Width</source>
        <translation>窗位和窗宽</translation>
    </message>
    <message>
        <source>Centre (modality units, e.g. HU)</source>
        <translation>窗位（模态单位，如 HU）</translation>
    </message>
    <message>
        <source>Centre</source>
        <translation>窗位</translation>
    </message>
    <message>
        <source>Width (modality units)</source>
        <translation>窗宽（模态单位）</translation>
    </message>
    <message>
        <source>Width</source>
        <translation>窗宽</translation>
    </message>
    <message>
        <source>Space</source>
        <translation>空格</translation>
    </message>
    <message>
        <source>Show the protected preview / the opened image</source>
        <translation>显示受保护预览 / 打开的图像</translation>
    </message>
    <message>
        <source>Right-drag</source>
        <translation>右键拖动</translation>
    </message>
    <message>
        <source>Window width (left/right) and level (up/down)</source>
        <translation>窗宽（左右）和窗位（上下）</translation>
    </message>
    <message>
        <source>Shift+drag, Delete</source>
        <translation>Shift+拖动，Delete</translation>
    </message>
    <message>
        <source>Add a further key region, remove the selected one</source>
        <translation>添加附加关键区域，删除所选区域</translation>
    </message>
    <message>
        <source>Keyboard Shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>Pixel position and value under the cursor (HU for CT, with the stored value beside it)</source>
        <translation>光标下像素的位置和数值（CT 为 HU，旁边为存储值）</translation>
    </message>
    <message>
        <source>Window level (centre) and width, in modality units (HU for CT) for DICOM files with a rescale, stored values otherwise; drag with the right mouse button or pick a preset in View ▸ Window/Level</source>
        <translation>窗位（中心）和窗宽：带重标定的 DICOM 文件用模态单位（CT 为 HU），其他为存储值；按住鼠标右键拖动，或在“视图 ▸ 窗宽/窗位”中选择预设</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <source>Centre %1, width %2 (HU); for CT DICOM files</source>
        <translation>窗位 %1，窗宽 %2（HU）；用于 CT DICOM 文件</translation>
    </message>
    <message>
        <source>MedVeil &amp;Manual</source>
        <translation>MedVeil 使用手册(&amp;M)</translation>
    </message>
    <message>
        <source>L %1  W %2%3</source>
        <translation>窗位 %1  窗宽 %2%3</translation>
    </message>
    <message>
        <source>MedVeil Manual</source>
        <translation>MedVeil 使用手册</translation>
    </message>
    <message>
        <source>The manual is missing from this build.</source>
        <translation>此版本缺少使用手册。</translation>
    </message>
    <message>
        <source>(%1, %2) = %3%4 (stored %5)</source>
        <translation>(%1, %2) = %3%4（存储值 %5）</translation>
    </message>
    <message>
        <source>Open &amp;Folder…</source>
        <translation>打开文件夹(&amp;F)…</translation>
    </message>
    <message>
        <source>Open a folder of DICOM images</source>
        <translation>打开 DICOM 图像文件夹</translation>
    </message>
    <message>
        <source>Browse the DICOM studies and series in a folder</source>
        <translation>浏览文件夹中的 DICOM 检查和序列</translation>
    </message>
    <message>
        <source>DICOM &amp;Tags…</source>
        <translation>DICOM 标签(&amp;T)…</translation>
    </message>
    <message>
        <source>DICOM Tags — %1</source>
        <translation>DICOM 标签 — %1</translation>
    </message>
    <message>
        <source>Filter by tag, name or value</source>
        <translation>按标签、名称或值筛选</translation>
    </message>
    <message>
        <source>Tag</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>VR</source>
        <translation>VR</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Pipeline Walkthrough</source>
        <translation>流程分步演示</translation>
    </message>
    <message>
        <source>%1 is %2. The walkthrough protects the image it shows, so it runs on an unprotected image only: recover or open the original first, then start it again.</source>
        <translation>%1 是%2。流程演示会保护所显示的图像，因此只能在未受保护的图像上运行：请先恢复或打开原图，然后重新开始。</translation>
    </message>
    <message>
        <source>&amp;PACS…</source>
        <translation>PACS 影像网络(&amp;P)…</translation>
    </message>
    <message>
        <source>Query, retrieve from and send to a PACS or another DICOM node</source>
        <translation>查询、检索 PACS 或其他 DICOM 节点的影像，或向其发送</translation>
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
        <translation>节点</translation>
    </message>
    <message>
        <source>The DICOM nodes you configured</source>
        <translation>您配置的 DICOM 节点</translation>
    </message>
    <message>
        <source>(unsaved node)</source>
        <translation>（未保存的节点）</translation>
    </message>
    <message>
        <source>Save &amp;Node</source>
        <translation>保存节点(&amp;N)</translation>
    </message>
    <message>
        <source>Remember this node under its name (no patient data is stored)</source>
        <translation>以此名称记住该节点（不保存任何患者数据）</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>删除(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Verify</source>
        <translation>验证(&amp;V)</translation>
    </message>
    <message>
        <source>C-ECHO: check that the node answers and accepts MedVeil's AE title</source>
        <translation>C-ECHO：检查节点是否响应并接受 MedVeil 的 AE 名称</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <source>Host:</source>
        <translation>主机：</translation>
    </message>
    <message>
        <source>Port:</source>
        <translation>端口：</translation>
    </message>
    <message>
        <source>Node's AE title:</source>
        <translation>节点的 AE 名称：</translation>
    </message>
    <message>
        <source>MedVeil's AE title:</source>
        <translation>MedVeil 的 AE 名称：</translation>
    </message>
    <message>
        <source>Find Studies</source>
        <translation>查找检查</translation>
    </message>
    <message>
        <source>e.g. DOE^* (* and ? match anything)</source>
        <translation>例如 DOE^*（* 和 ? 匹配任意内容）</translation>
    </message>
    <message>
        <source>YYYYMMDD</source>
        <translation>YYYYMMDD</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <source>&amp;Search</source>
        <translation>搜索(&amp;S)</translation>
    </message>
    <message>
        <source>Patient ID:</source>
        <translation>患者编号：</translation>
    </message>
    <message>
        <source>Patient name:</source>
        <translation>患者姓名：</translation>
    </message>
    <message>
        <source>Study date:</source>
        <translation>检查日期：</translation>
    </message>
    <message>
        <source>Accession number:</source>
        <translation>检查号：</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Patient ID</source>
        <translation>患者编号</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>患者</translation>
    </message>
    <message>
        <source>Accession</source>
        <translation>检查号</translation>
    </message>
    <message>
        <source>Modalities</source>
        <translation>模态</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>Series</source>
        <translation>序列</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>图像</translation>
    </message>
    <message>
        <source>Choose or enter a node, then Verify or Search.</source>
        <translation>选择或输入一个节点，然后验证或搜索。</translation>
    </message>
    <message>
        <source>Show &amp;Patient</source>
        <translation>显示患者(&amp;P)</translation>
    </message>
    <message>
        <source>List the patients' names (hidden on a shared screen)</source>
        <translation>列出患者姓名（在共享屏幕上隐藏）</translation>
    </message>
    <message>
        <source>Re&amp;trieve…</source>
        <translation>检索(&amp;T)…</translation>
    </message>
    <message>
        <source>Se&amp;nd Files…</source>
        <translation>发送文件(&amp;N)…</translation>
    </message>
    <message>
        <source>Send DICOM files (protected, sealed or recovered) to the node (C-STORE)</source>
        <translation>将 DICOM 文件（已保护、已封装或已恢复）发送到该节点（C-STORE）</translation>
    </message>
    <message>
        <source>Local PACS</source>
        <translation>本地 PACS</translation>
    </message>
    <message>
        <source>Give the node a name to save it.</source>
        <translation>请为节点命名后再保存。</translation>
    </message>
    <message>
        <source>Node “%1” saved.</source>
        <translation>节点“%1”已保存。</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
    <message>
        <source>Verification failed: %1</source>
        <translation>验证失败：%1</translation>
    </message>
    <message>
        <source>%1 answered the verification (C-ECHO) in %2 ms.</source>
        <translation>%1 在 %2 毫秒内响应了验证（C-ECHO）。</translation>
    </message>
    <message>
        <source>Verifying %1…</source>
        <translation>正在验证 %1…</translation>
    </message>
    <message>
        <source>The query failed: %1</source>
        <translation>查询失败：%1</translation>
    </message>
    <message>
        <source>Studies found: %1.</source>
        <translation>找到的检查：%1 个。</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>正在搜索…</translation>
    </message>
    <message>
        <source>hidden</source>
        <translation>已隐藏</translation>
    </message>
    <message>
        <source>The retrieve failed: %1</source>
        <translation>检索失败：%1</translation>
    </message>
    <message>
        <source>Images retrieved into %1: %2.</source>
        <translation>已检索到 %1 的图像：%2 幅。</translation>
    </message>
    <message>
        <source>Retrieving the study…</source>
        <translation>正在检索检查…</translation>
    </message>
    <message>
        <source>Sending failed: %1</source>
        <translation>发送失败：%1</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>Stored by the node: %1 of %2 files.</source>
        <translation>节点已存储：%2 个文件中的 %1 个。</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>正在发送…</translation>
    </message>
    <message>
        <source>Retrieve the study into a folder</source>
        <translation>将检查检索到文件夹</translation>
    </message>
    <message>
        <source>Send DICOM files</source>
        <translation>发送 DICOM 文件</translation>
    </message>
    <message>
        <source>DICOM files (*.dcm *.DCM);;All files (*)</source>
        <translation>DICOM 文件 (*.dcm *.DCM);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Retrieve the selected study or series (C-GET) into a folder and browse its series</source>
        <translation>将所选检查或序列检索（C-GET）到文件夹并浏览其序列</translation>
    </message>
    <message>
        <source>The series query failed: %1</source>
        <translation>序列查询失败：%1</translation>
    </message>
    <message>
        <source>The study list changed; expand the study again.</source>
        <translation>检查列表已变化；请重新展开该检查。</translation>
    </message>
    <message>
        <source>Series %1</source>
        <translation>序列 %1</translation>
    </message>
    <message>
        <source>Series in the study: %1.</source>
        <translation>该检查中的序列：%1 个。</translation>
    </message>
    <message>
        <source>Listing the study's series…</source>
        <translation>正在列出该检查的序列…</translation>
    </message>
    <message>
        <source>Retrieving the series…</source>
        <translation>正在检索序列…</translation>
    </message>
</context>
<context>
    <name>medveil::ui::PreferencesDialog</name>
    <message>
        <source>Preferences</source>
        <translation>首选项</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>语言(&amp;L)：</translation>
    </message>
    <message>
        <source>Remember recently opened file names</source>
        <translation>记住最近打开的文件名</translation>
    </message>
    <message>
        <source>File names can identify patients; turn this off on shared workstations</source>
        <translation>文件名可能暴露患者身份；在共用工作站上请关闭</translation>
    </message>
    <message>
        <source>A new language takes effect when MedVeil is started again.</source>
        <translation>新的语言将在 MedVeil 下次启动时生效。</translation>
    </message>
</context>
<context>
    <name>medveil::ui::ProtectPanel</name>
    <message>
        <source>Key region</source>
        <translation>关键区域</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>&amp;Next candidate</source>
        <translation>下一个候选(&amp;N)</translation>
    </message>
    <message>
        <source>Step to the region with the next-largest coefficient of variation (σ/μ)</source>
        <translation>跳到变异系数（σ/μ）次大的区域</translation>
    </message>
    <message>
        <source>Texture threshold T (block MSE &gt; T)</source>
        <translation>纹理阈值 T（块 MSE &gt; T）</translation>
    </message>
    <message>
        <source>Higher T embeds into fewer, busier blocks: better quality, less capacity</source>
        <translation>T 越高，嵌入的块越少、纹理越丰富：质量更好，容量更小</translation>
    </message>
    <message>
        <source>&amp;Auto</source>
        <translation>自动(&amp;A)</translation>
    </message>
    <message>
        <source>Largest T whose texture blocks still hold the key region</source>
        <translation>纹理块仍能容纳关键区域的最大 T</translation>
    </message>
    <message>
        <source>Public information in the QR code</source>
        <translation>二维码中的公开信息</translation>
    </message>
    <message>
        <source>Shown to anyone who scans the QR code; not remembered</source>
        <translation>任何扫描二维码的人都能看到；不会被记住</translation>
    </message>
    <message>
        <source>Shown to anyone who scans the QR code</source>
        <translation>任何扫描二维码的人都能看到</translation>
    </message>
    <message>
        <source>Protected image</source>
        <translation>受保护图像</translation>
    </message>
    <message>
        <source>Open an image to start</source>
        <translation>请先打开一幅图像</translation>
    </message>
    <message>
        <source>payload / capacity</source>
        <translation>载荷 / 容量</translation>
    </message>
    <message>
        <source>Encrypted key-region bits against what the texture blocks can hold</source>
        <translation>加密后的关键区域比特数与纹理块可容纳量之比</translation>
    </message>
    <message>
        <source>Show &amp;original</source>
        <translation>显示原图(&amp;O)</translation>
    </message>
    <message>
        <source>Toggle between the original and the protected preview (Space)</source>
        <translation>在原图与受保护预览之间切换（空格键）</translation>
    </message>
    <message>
        <source>Recipient</source>
        <translation>接收方</translation>
    </message>
    <message>
        <source>public key (PEM) of who may recover</source>
        <translation>可恢复者的公钥（PEM）</translation>
    </message>
    <message>
        <source>&amp;Protect and Save…</source>
        <translation>保护并保存(&amp;P)…</translation>
    </message>
    <message>
        <source>Protect with the recipient's key and save the PNG (Ctrl+P)</source>
        <translation>用接收方的密钥保护并保存 PNG（Ctrl+P）</translation>
    </message>
    <message>
        <source>Open an unprotected image to protect it</source>
        <translation>请打开一幅未受保护的图像进行保护</translation>
    </message>
    <message>
        <source>Finding the key region…</source>
        <translation>正在查找关键区域…</translation>
    </message>
    <message>
        <source>Computing the protected preview…</source>
        <translation>正在计算受保护预览…</translation>
    </message>
    <message>
        <source>%1, %2  %3 × %4</source>
        <translation>%1, %2  %3 × %4</translation>
    </message>
    <message>
        <source>%1 / %2 bits</source>
        <translation>%1 / %2 比特</translation>
    </message>
    <message>
        <source>Show &amp;protected</source>
        <translation>显示受保护图像(&amp;P)</translation>
    </message>
    <message>
        <source>Save Protected Image</source>
        <translation>保存受保护图像</translation>
    </message>
    <message>
        <source>Drag the region to move it, its corners to resize it; Shift+drag on the image adds a further region (hidden too, filled grey), Delete removes the selected one</source>
        <translation>拖动区域可移动，拖动角点可调整大小；在图像上按住 Shift 拖动可添加更多区域（同样隐藏，以灰色填充），Delete 删除所选区域</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Remove the selected further region (Delete on the image)</source>
        <translation>移除所选的附加区域（在图像上按 Delete）</translation>
    </message>
    <message>
        <source>%1: %2, %3  %4 × %5 (filled grey)</source>
        <translation>%1：%2, %3  %4 × %5（灰色填充）</translation>
    </message>
    <message>
        <source>Arnold (the paper)</source>
        <translation>Arnold（论文方法）</translation>
    </message>
    <message>
        <source>Keyed permutation</source>
        <translation>密钥置乱</translation>
    </message>
    <message>
        <source>How the embedded texture blocks are scrambled. Arnold's map can be undone without the key by trying its few periods; the keyed permutation leaves only each block's mean (see Teaching → Pipeline walkthrough)</source>
        <translation>嵌入纹理块的置乱方式。Arnold 变换只有少数周期，不用密钥即可逐一尝试还原；密钥置乱只留下每个块的均值（见 教学 → 流程演示）</translation>
    </message>
    <message>
        <source>Scrambling</source>
        <translation>置乱</translation>
    </message>
    <message>
        <source>PSNR %1 dB (peak %2) · SSIM %3 · T = %4 · %5 pass(es) · QR version %6 · %7-bit key</source>
        <translation>PSNR %1 dB（峰值 %2）· SSIM %3 · T = %4 · %5 轮嵌入 · 二维码版本 %6 · %7 位密钥</translation>
    </message>
    <message>
        <source>no recipient key chosen: previewed for a %1-bit key</source>
        <translation>未选择接收方密钥：按 %1 位密钥预览</translation>
    </message>
</context>
<context>
    <name>medveil::ui::RecoverPanel</name>
    <message>
        <source>QR code (public information, no key needed)</source>
        <translation>二维码（公开信息，无需密钥）</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Open a protected image</source>
        <translation>请打开一幅受保护的图像</translation>
    </message>
    <message>
        <source>Private key</source>
        <translation>私钥</translation>
    </message>
    <message>
        <source>your private key (PEM)</source>
        <translation>您的私钥（PEM）</translation>
    </message>
    <message>
        <source>&amp;Recover Original</source>
        <translation>恢复原图(&amp;R)</translation>
    </message>
    <message>
        <source>Decrypt with the private key and restore the original bit for bit (Ctrl+R)</source>
        <translation>用私钥解密并逐比特恢复原图（Ctrl+R）</translation>
    </message>
    <message>
        <source>Protected</source>
        <translation>受保护</translation>
    </message>
    <message>
        <source>Recovered</source>
        <translation>已恢复</translation>
    </message>
    <message>
        <source>&amp;Save Recovered…</source>
        <translation>保存恢复图像(&amp;S)…</translation>
    </message>
    <message>
        <source>Save Recovered Image</source>
        <translation>保存恢复图像</translation>
    </message>
    <message>
        <source>Recovering…</source>
        <translation>正在恢复…</translation>
    </message>
    <message>
        <source>Identical to the original (SHA-256 verified)</source>
        <translation>与原图完全一致（已用 SHA-256 验证）</translation>
    </message>
    <message>
        <source>Not recovered: %1</source>
        <translation>未能恢复：%1</translation>
    </message>
    <message>
        <source>— changed 8×8 blocks marked in red: %1</source>
        <translation>— 已用红色标出被改动的 8×8 块：%1</translation>
    </message>
    <message>
        <source>Signature INVALID: %1</source>
        <translation>签名无效：%1</translation>
    </message>
    <message>
        <source>Reading the QR code…</source>
        <translation>正在读取二维码…</translation>
    </message>
</context>
<context>
    <name>medveil::ui::RegionHistory</name>
    <message>
        <source>Add Region</source>
        <translation>添加区域</translation>
    </message>
    <message>
        <source>Remove Region</source>
        <translation>删除区域</translation>
    </message>
    <message>
        <source>Move Region</source>
        <translation>移动区域</translation>
    </message>
</context>
<context>
    <name>medveil::ui::SeriesBrowser</name>
    <message>
        <source>Series in %1</source>
        <translation>%1 中的序列</translation>
    </message>
    <message>
        <source>Studies and series found in the folder</source>
        <translation>文件夹中找到的检查和序列</translation>
    </message>
    <message>
        <source>Patient: hidden</source>
        <translation>患者：已隐藏</translation>
    </message>
    <message>
        <source>Show Patient</source>
        <translation>显示患者</translation>
    </message>
    <message>
        <source>Show the patient's name and ID of the selected series</source>
        <translation>显示所选序列的患者姓名和 ID</translation>
    </message>
    <message>
        <source>The series' images by instance number; double-click opens one</source>
        <translation>序列的图像（按实例号）；双击打开</translation>
    </message>
    <message>
        <source>Reading the DICOM headers…</source>
        <translation>正在读取 DICOM 头…</translation>
    </message>
    <message>
        <source>&amp;Open Image</source>
        <translation>打开图像(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Protect Series…</source>
        <translation>保护序列(&amp;P)…</translation>
    </message>
    <message>
        <source>Protect every image of the series for the Protect tab's recipient key, each with its own automatic key region</source>
        <translation>用“保护”页的接收方密钥保护序列中的每幅图像，每幅使用各自的自动关键区域</translation>
    </message>
    <message>
        <source>&amp;Seal Series…</source>
        <translation>封装序列(&amp;S)…</translation>
    </message>
    <message>
        <source>Seal the EMR tab's record into every image of the series for its recipient key</source>
        <translation>用“EMR”页的接收方密钥将其病历封装进序列的每幅图像</translation>
    </message>
    <message>
        <source>%1 · series %2 · %3</source>
        <translation>%1 · 序列 %2 · %3</translation>
    </message>
    <message>
        <source>(no modality)</source>
        <translation>（无模态）</translation>
    </message>
    <message>
        <source>1 image</source>
        <translation>1 幅图像</translation>
    </message>
    <message>
        <source>%1 images</source>
        <translation>%1 幅图像</translation>
    </message>
    <message>
        <source>study of %1</source>
        <translation>%1 的检查</translation>
    </message>
    <message>
        <source>No DICOM images in this folder.</source>
        <translation>此文件夹中没有 DICOM 图像。</translation>
    </message>
    <message>
        <source>%1, %2.</source>
        <translation>%1，%2。</translation>
    </message>
    <message>
        <source>1 series</source>
        <translation>1 个序列</translation>
    </message>
    <message>
        <source>%1 series</source>
        <translation>%1 个序列</translation>
    </message>
    <message>
        <source>1 other file skipped.</source>
        <translation>跳过 1 个其他文件。</translation>
    </message>
    <message>
        <source>%1 other files skipped.</source>
        <translation>跳过 %1 个其他文件。</translation>
    </message>
    <message>
        <source>Only the first 20,000 files were read.</source>
        <translation>只读取了前 20,000 个文件。</translation>
    </message>
    <message>
        <source>%1  (instance %2)</source>
        <translation>%1  （实例 %2）</translation>
    </message>
    <message>
        <source>Hide Patient</source>
        <translation>隐藏患者</translation>
    </message>
    <message>
        <source>Patient: %1 (ID %2)</source>
        <translation>患者：%1（ID %2）</translation>
    </message>
    <message>
        <source>(no name)</source>
        <translation>（无姓名）</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Write the series to</source>
        <translation>将序列写入</translation>
    </message>
    <message>
        <source>Choose the recipient's public key in the EMR tab first.</source>
        <translation>请先在“EMR”页选择接收方公钥。</translation>
    </message>
    <message>
        <source>Choose the recipient's public key in the Protect tab first.</source>
        <translation>请先在“保护”页选择接收方公钥。</translation>
    </message>
    <message>
        <source>Type or load the record in the EMR tab first.</source>
        <translation>请先在“EMR”页输入或载入病历。</translation>
    </message>
    <message>
        <source>Sealing the series' %1 images…</source>
        <translation>正在封装序列的 %1 幅图像…</translation>
    </message>
    <message>
        <source>Protecting the series' %1 images…</source>
        <translation>正在保护序列的 %1 幅图像…</translation>
    </message>
    <message>
        <source>Sealed %1 of %2 images</source>
        <translation>已封装 %1/%2 幅图像</translation>
    </message>
    <message>
        <source>Protected %1 of %2 images</source>
        <translation>已保护 %1/%2 幅图像</translation>
    </message>
    <message>
        <source>(cancelled)</source>
        <translation>（已取消）</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
</context>
<context>
    <name>medveil::ui::SignAsSenderBox</name>
    <message>
        <source>Sign as sender (%1)</source>
        <translation>以发送方身份签名（%1）</translation>
    </message>
    <message>
        <source>Sign as sender</source>
        <translation>以发送方身份签名</translation>
    </message>
    <message>
        <source>The recipient can check who made this file (recover --verify, or a trusted sender in their Key Manager)</source>
        <translation>接收方可以核实此文件由谁制作（recover --verify，或其密钥管理器中的受信任发送方）</translation>
    </message>
    <message>
        <source>Choose your signing key in Keys ▸ Key Manager (Use as My Signing Key)</source>
        <translation>请在“密钥 ▸ 密钥管理器”中选择签名密钥（用作我的签名密钥）</translation>
    </message>
</context>
<context>
    <name>medveil::ui::SweepChart</name>
    <message>
        <source>PSNR and SSIM of the protected image against the original for each threshold T</source>
        <translation>各阈值 T 下受保护图像相对原图的 PSNR 和 SSIM</translation>
    </message>
    <message>
        <source>threshold T</source>
        <translation>阈值 T</translation>
    </message>
    <message>
        <source>computing…</source>
        <translation>计算中…</translation>
    </message>
    <message>
        <source>no data</source>
        <translation>无数据</translation>
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
        <translation>像素 (x, y) → 右邻像素 (x + 1, y)</translation>
    </message>
    <message>
        <source>Pipeline Walkthrough</source>
        <translation>流程分步演示</translation>
    </message>
    <message>
        <source>Texture threshold T:</source>
        <translation>纹理阈值 T：</translation>
    </message>
    <message>
        <source>Blocks with MSE &gt; T carry the hidden key region</source>
        <translation>MSE &gt; T 的块承载隐藏的关键区域</translation>
    </message>
    <message>
        <source>&amp;Recompute</source>
        <translation>重新计算(&amp;R)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>1. Key region and texture blocks</source>
        <translation>1. 关键区域与纹理块</translation>
    </message>
    <message>
        <source>2. Prediction-error expansion</source>
        <translation>2. 预测误差扩展</translation>
    </message>
    <message>
        <source>3. Arnold scrambling</source>
        <translation>3. Arnold 置乱</translation>
    </message>
    <message>
        <source>4. QR code</source>
        <translation>4. 二维码</translation>
    </message>
    <message>
        <source>5. Unauthorised extraction</source>
        <translation>5. 未授权提取</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Open an image first.</source>
        <translation>请先打开一幅图像。</translation>
    </message>
    <message>
        <source>Computing every stage…</source>
        <translation>正在计算各个阶段…</translation>
    </message>
    <message>
        <source>Press Recompute to compute the stages on this image.</source>
        <translation>按“重新计算”以在此图像上计算各阶段。</translation>
    </message>
    <message>
        <source>Key region (solid), next candidates (dashed), texture blocks (green)</source>
        <translation>关键区域（实线）、后续候选（虚线）、纹理块（绿色）</translation>
    </message>
    <message>
        <source>The key region is the block of largest coefficient of variation σ/μ. %1 of %2 8×8 blocks have MSE &gt; T = %3 and will carry its %4 encrypted bits.</source>
        <translation>关键区域是变异系数 σ/μ 最大的块。%2 个 8×8 块中有 %1 个的 MSE &gt; T = %3，将承载其 %4 个加密比特。</translation>
    </message>
    <message>
        <source>Rhombus prediction errors e = x − ⌊(N+S+E+W)/4⌋ (first layer)</source>
        <translation>菱形预测误差 e = x − ⌊(N+S+E+W)/4⌋（第一层）</translation>
    </message>
    <message>
        <source>before embedding</source>
        <translation>嵌入前</translation>
    </message>
    <message>
        <source>after expansion</source>
        <translation>扩展后</translation>
    </message>
    <message>
        <source>Errors in the expansion range become 2e + b (one payload bit each); the others shift outwards so that extraction can tell them apart and undo both exactly.</source>
        <translation>扩展范围内的误差变为 2e + b（每个携带一个载荷比特）；其余误差向外平移，使提取时能区分两者并精确还原。</translation>
    </message>
    <message>
        <source>iteration %1 of %2</source>
        <translation>第 %1 次迭代（共 %2 次）</translation>
    </message>
    <message>
        <source>Texture blocks after %1 cat-map iteration(s)</source>
        <translation>猫映射迭代 %1 次后的纹理块</translation>
    </message>
    <message>
        <source>64×64 detail at (%1, %2)</source>
        <translation>(%1, %2) 处的 64×64 细节</translation>
    </message>
    <message>
        <source>Each texture block gets its own cat map (x, y) → (x + a·y, b·x + (a·b+1)·y) mod 8 and iteration count from the key; move the slider to apply the iterations one by one.</source>
        <translation>每个纹理块由密钥得到各自的猫映射 (x, y) → (x + a·y, b·x + (a·b+1)·y) mod 8 及迭代次数；拖动滑块逐次施加迭代。</translation>
    </message>
    <message>
        <source>QR code: public information + RSA-OAEP-sealed key</source>
        <translation>二维码：公开信息 + RSA-OAEP 封装的密钥</translation>
    </message>
    <message>
        <source>Protected image</source>
        <translation>受保护图像</translation>
    </message>
    <message>
        <source>The QR replaces the key region: anyone can read the public fields, only the private key opens the sealed key that decrypts the hidden region.</source>
        <translation>二维码取代关键区域：任何人都能读取公开字段，只有私钥能打开解密隐藏区域的封装密钥。</translation>
    </message>
    <message>
        <source>Key region (authorised extraction: identical)</source>
        <translation>关键区域（授权提取：完全一致）</translation>
    </message>
    <message>
        <source>Unauthorised extraction: PSNR %1 dB, SSIM %2</source>
        <translation>未授权提取：PSNR %1 dB，SSIM %2</translation>
    </message>
    <message>
        <source>Without the private key the embedded payload decrypts to noise (and MedVeil refuses it: the AES-GCM tag fails). The paper reports PSNR &lt; 10 dB and SSIM &lt; 0.1 for this view.</source>
        <translation>没有私钥，嵌入的载荷只能解出噪声（MedVeil 也会拒绝：AES-GCM 认证标签校验失败）。论文报告此视图的 PSNR &lt; 10 dB、SSIM &lt; 0.1。</translation>
    </message>
    <message>
        <source>EMR encoded image (base %1)</source>
        <translation>病历编码图像（%1 进制）</translation>
    </message>
    <message>
        <source>Top-left 24×16 pixels and their digits</source>
        <translation>左上角 24×16 像素及其数字</translation>
    </message>
    <message>
        <source>The record's %1 UTF-8 bytes (after a header with length and CRC-32) are written as base-%2 digits, one per pixel, at widely spaced grey levels; the rest is key-seeded padding.</source>
        <translation>病历的 %1 个 UTF-8 字节（前接含长度和 CRC-32 的头部）被写成 %2 进制数字，每像素一位，用间隔很大的灰度级表示；其余部分是由密钥生成的填充。</translation>
    </message>
    <message>
        <source>bit plane %1</source>
        <translation>第 %1 位平面</translation>
    </message>
    <message>
        <source>Stego image, bit %1</source>
        <translation>载密图像，第 %1 位</translation>
    </message>
    <message>
        <source>Encoded image, bit %1</source>
        <translation>编码图像，第 %1 位</translation>
    </message>
    <message>
        <source>Cipher image, bit %1</source>
        <translation>密文图像，第 %1 位</translation>
    </message>
    <message>
        <source>The logistic-sine-cosine cipher permutes all bits of the image and diffuses them forwards and backwards: every cipher bit plane is balanced noise.</source>
        <translation>Logistic-正弦-余弦混沌密码置乱图像的全部比特，并进行正向和反向扩散：密文的每个位平面都是均衡的噪声。</translation>
    </message>
    <message>
        <source>Stego image</source>
        <translation>载密图像</translation>
    </message>
    <message>
        <source>Encoded image</source>
        <translation>编码图像</translation>
    </message>
    <message>
        <source>plain</source>
        <translation>明文</translation>
    </message>
    <message>
        <source>Cipher image</source>
        <translation>密文图像</translation>
    </message>
    <message>
        <source>cipher</source>
        <translation>密文</translation>
    </message>
    <message>
        <source>The cipher's histogram is flat: grey-level statistics reveal nothing about the plain image.</source>
        <translation>密文直方图是平坦的：灰度统计不会泄露明文图像的任何信息。</translation>
    </message>
    <message>
        <source>6. Keyless attack: Arnold vs permutation</source>
        <translation>6. 无密钥攻击：Arnold 与置乱对比</translation>
    </message>
    <message>
        <source>7. EMR encoded image</source>
        <translation>7. 病历编码图像</translation>
    </message>
    <message>
        <source>8. Bit planes</source>
        <translation>8. 位平面</translation>
    </message>
    <message>
        <source>9. Histograms</source>
        <translation>9. 直方图</translation>
    </message>
    <message>
        <source>10. Adjacent-pixel correlation</source>
        <translation>10. 相邻像素相关性</translation>
    </message>
    <message>
        <source>Arnold: the attack recovers %1 dB (block means %2 dB)</source>
        <translation>Arnold：攻击恢复 %1 dB（块均值 %2 dB）</translation>
    </message>
    <message>
        <source>Keyed permutation: %1 dB (block means %2 dB)</source>
        <translation>密钥置乱：%1 dB（块均值 %2 dB）</translation>
    </message>
    <message>
        <source>No key at all: each 8×8 block has only about 129 distinct cat maps, so trying every one and keeping the smoothest result undoes Arnold (left). A keyed permutation of the 64 pixels has 64! orderings: the same attack gets no further than each block's mean (right). MedVeil protects the region itself with AES-256-GCM either way.</source>
        <translation>完全不用密钥：每个 8×8 块只有约 129 种不同的猫映射，逐一尝试并保留最平滑的结果即可还原 Arnold（左）。64 个像素的密钥置乱有 64! 种排列：同样的攻击只能得到每个块的均值（右）。无论哪种方式，MedVeil 都用 AES-256-GCM 保护区域本身。</translation>
    </message>
    <message>
        <source>%1
r = %2 (h), %3 (v), %4 (d)</source>
        <translation>%1
r = %2（水平），%3（垂直），%4（对角）</translation>
    </message>
    <message>
        <source>medical image</source>
        <translation>医学图像</translation>
    </message>
    <message>
        <source>stego (encrypted)</source>
        <translation>载密图像（被加密）</translation>
    </message>
    <message>
        <source>encoded (encrypted)</source>
        <translation>编码图像（被加密）</translation>
    </message>
    <message>
        <source>Neighbouring pixels of the medical image are strongly correlated (r = %1). What the cipher encrypts is the stego: the record's digits, whose key-seeded padding is already nearly uncorrelated (r = %2), with the image hidden in their small deviations. After encryption the pairs fill the square: r = %3.</source>
        <translation>医学图像的相邻像素高度相关（r = %1）。密码加密的是载密图像：病历的数字，其由密钥生成的填充本身几乎不相关（r = %2），医学图像隐藏在其微小偏差中。加密后像素对布满整个方格：r = %3。</translation>
    </message>
</context>
</TS>
