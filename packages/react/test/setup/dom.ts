import { configure } from "@testing-library/react";

// waitFor/findBy give up after 1 s by default; on a loaded 2-core CI machine a connect through
// the dev server can take longer than that. Waiting longer changes no assertion.
configure({ asyncUtilTimeout: 5000 });
