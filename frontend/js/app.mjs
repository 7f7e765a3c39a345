// Every page: GOV.UK Frontend components (error summaries, details, tabs...).
import { initAll } from "govuk-frontend";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
