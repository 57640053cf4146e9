/** @jsxImportSource preact */
import { render } from "preact";

render(<p>Coleta</p>, document.getElementById("root") as HTMLElement);
