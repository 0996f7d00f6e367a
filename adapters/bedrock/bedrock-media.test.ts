import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { bedrockDocumentName, bedrockFormatOf, documentFormatFromName, mediaTypeOf } from "./bedrock-media.ts";

describe("bedrock media", () => {
  it("maps formats and media types both ways", () => {
    assert.equal(bedrockFormatOf("image", "image/jpg"), "jpeg");
    assert.equal(bedrockFormatOf("image", "IMAGE/PNG; q=1"), "png");
    assert.equal(bedrockFormatOf("document", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"), "docx");
    assert.equal(bedrockFormatOf("document", "application/zip"), undefined);
    assert.equal(bedrockFormatOf("video", "video/quicktime"), "mov");
    assert.equal(mediaTypeOf("document", "md"), "text/markdown");
    assert.equal(mediaTypeOf("image", "webp"), "image/webp");
    assert.equal(documentFormatFromName("Report.XLSX"), "xlsx");
    assert.equal(documentFormatFromName("archive.zip"), undefined);
  });

  it("keeps valid document names and repairs file names", () => {
    assert.equal(bedrockDocumentName("Annual report (2024) [final]", "d"), "Annual report (2024) [final]");
    assert.equal(bedrockDocumentName("my_file.name.pdf", "d"), "my-file-name");
    assert.equal(bedrockDocumentName("a   b\tc.txt", "d"), "a b c");
    assert.equal(bedrockDocumentName("....pdf", "fallback"), "---");
    assert.equal(bedrockDocumentName(".pdf", "fallback"), "fallback");
    assert.equal(bedrockDocumentName(undefined, "document-1"), "document-1");
  });
});
