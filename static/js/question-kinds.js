// The question form shows only the fields the chosen kind uses. Which kind
// uses which field comes from the server (exercises.admin.spec.field_kinds);
// without this script every field stays visible.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const data = document.getElementById("question-field-kinds");
  const kind = document.getElementById("id_kind");
  if (!data || !kind) return;
  const kinds = JSON.parse(data.textContent);
  const update = () => {
    for (const [field, used] of Object.entries(kinds)) {
      for (const row of document.querySelectorAll(`.form-row.field-${field}`)) {
        row.hidden = !used.includes(kind.value);
      }
    }
    for (const fieldset of document.querySelectorAll("#question_form fieldset.module")) {
      const rows = [...fieldset.querySelectorAll(":scope .form-row")];
      fieldset.hidden = rows.length > 0 && rows.every((row) => row.hidden);
    }
  };
  kind.addEventListener("change", update);
  update();
});
