console.log("size check pending");
